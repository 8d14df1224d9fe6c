// A thin Node-API binding over paho.mqtt.c's asynchronous client (libpaho-mqtt3as), used only by
// the Node double of @ohos/mqtt in this folder. It maps paho calls one to one; everything the
// @ohos/mqtt wrapper adds (waits, messages, result objects) lives in the TypeScript beside it.
//
// Threads: paho calls back on its own send/receive threads, sometimes while holding its global
// mutex (the connect callbacks, connectionLost). A callback here therefore never waits for
// JavaScript: it copies what it needs, queues it on a thread-safe function without blocking and
// returns at once (messageArrived returns 1 straight away, as the wrapper's native layer does, so
// paho acknowledges a QoS 1/2 message right after). JavaScript sees the events on its own thread
// in the order paho produced them. Waiting for JavaScript from a paho thread (what an FFI that
// runs JS callbacks synchronously would do) could deadlock against a JS call into paho.
#define NAPI_VERSION 8
#include <node_api.h>
#include <MQTTAsync.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { REQ_CONNECT, REQ_SUBSCRIBE, REQ_UNSUBSCRIBE, REQ_PUBLISH, REQ_DISCONNECT } RequestKind;
typedef enum { EV_SUCCESS, EV_FAILURE, EV_LOST, EV_MESSAGE } EventKind;

typedef struct Client Client;

/** The context paho hands back to an operation's callbacks. Freed with its client. */
typedef struct Request {
  Client *client;
  int id;
  RequestKind kind;
  int topicCount;
  atomic_int finished; /* set on paho's thread before the event is queued */
  struct Request *next;
} Request;

struct Client {
  MQTTAsync handle;
  napi_env env;
  napi_threadsafe_function events;
  pthread_mutex_t lock; /* guards `open` against the environment's teardown */
  int open;
  int destroyed;
  Request *requests;
};

typedef struct Event {
  EventKind kind;
  int request;
  int code;
  int reasonCode;
  char *message; /* failure message or connection-lost cause; NULL when paho gave none */
  int mqttVersion;
  int sessionPresent;
  int grantedCount;
  int *granted; /* subscribe: granted QoS (3.1.1) or reason codes (5) */
  char *topic;
  void *payload;
  int payloadLength;
  int qos;
  int retained;
  int dup;
  int msgid;
  int hasProperties;
  MQTTProperties properties;
} Event;

// ---------------------------------------------------------------------------------------------
// Small helpers

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, NULL, "paho binding: " #call " failed"); \
      return NULL;                                                   \
    }                                                                \
  } while (0)

static char *copy_string(const char *s) {
  if (s == NULL) return NULL;
  size_t n = strlen(s) + 1;
  char *out = malloc(n);
  if (out) memcpy(out, s, n);
  return out;
}

static void free_event(Event *e) {
  if (e == NULL) return;
  free(e->message);
  free(e->granted);
  free(e->topic);
  free(e->payload);
  if (e->hasProperties) MQTTProperties_free(&e->properties);
  free(e);
}

static Event *new_event(EventKind kind, int request) {
  Event *e = calloc(1, sizeof(Event));
  if (e) {
    e->kind = kind;
    e->request = request;
  }
  return e;
}

/** Queues an event for JavaScript without blocking; drops it once the environment is gone. */
static void post(Client *c, Event *e) {
  if (e == NULL) return;
  pthread_mutex_lock(&c->lock);
  napi_status status = c->open ? napi_call_threadsafe_function(c->events, e, napi_tsfn_nonblocking) : napi_closing;
  pthread_mutex_unlock(&c->lock);
  if (status != napi_ok) free_event(e);
}

static void keep_properties(Event *e, const MQTTProperties *p) {
  if (p == NULL || p->count == 0) return;
  e->properties = MQTTProperties_copy(p);
  e->hasProperties = 1;
}

static void keep_granted(Event *e, const int *values, int count) {
  if (count <= 0 || values == NULL) return;
  e->granted = malloc(sizeof(int) * (size_t)count);
  if (e->granted == NULL) return;
  memcpy(e->granted, values, sizeof(int) * (size_t)count);
  e->grantedCount = count;
}

// ---------------------------------------------------------------------------------------------
// paho callbacks (paho's threads)

static void on_success(void *context, MQTTAsync_successData *data) {
  Request *r = context;
  Event *e = new_event(EV_SUCCESS, r->id);
  if (e && data) {
    if (r->kind == REQ_CONNECT) {
      e->mqttVersion = data->alt.connect.MQTTVersion;
      e->sessionPresent = data->alt.connect.sessionPresent;
    } else if (r->kind == REQ_SUBSCRIBE) {
      if (r->topicCount == 1) keep_granted(e, &data->alt.qos, 1);
      else keep_granted(e, data->alt.qosList, r->topicCount);
    }
  }
  atomic_store(&r->finished, 1);
  post(r->client, e);
}

static void on_success5(void *context, MQTTAsync_successData5 *data) {
  Request *r = context;
  Event *e = new_event(EV_SUCCESS, r->id);
  if (e && data) {
    e->reasonCode = data->reasonCode;
    keep_properties(e, &data->properties);
    if (r->kind == REQ_CONNECT) {
      e->mqttVersion = data->alt.connect.MQTTVersion;
      e->sessionPresent = data->alt.connect.sessionPresent;
    } else if (r->kind == REQ_SUBSCRIBE && data->alt.sub.reasonCodeCount > 1) {
      /* paho 1.3.12 sets reasonCodeCount to the topic count but fills reasonCodes only for more
       * than one topic (the pointer is left uninitialised for one): one topic's code is reasonCode */
      keep_granted(e, (const int *)data->alt.sub.reasonCodes, data->alt.sub.reasonCodeCount);
    } else if (r->kind == REQ_SUBSCRIBE) {
      int rc = data->reasonCode;
      keep_granted(e, &rc, 1);
    }
  }
  atomic_store(&r->finished, 1);
  post(r->client, e);
}

static void on_failure(void *context, MQTTAsync_failureData *data) {
  Request *r = context;
  Event *e = new_event(EV_FAILURE, r->id);
  if (e && data) {
    e->code = data->code;
    e->message = copy_string(data->message);
  }
  atomic_store(&r->finished, 1);
  post(r->client, e);
}

static void on_failure5(void *context, MQTTAsync_failureData5 *data) {
  Request *r = context;
  Event *e = new_event(EV_FAILURE, r->id);
  if (e && data) {
    e->code = data->code;
    e->reasonCode = data->reasonCode;
    e->message = copy_string(data->message);
    keep_properties(e, &data->properties);
  }
  atomic_store(&r->finished, 1);
  post(r->client, e);
}

static void on_connection_lost(void *context, char *cause) {
  Client *c = context;
  Event *e = new_event(EV_LOST, 0);
  if (e) e->message = copy_string(cause);
  post(c, e);
}

static int on_message(void *context, char *topicName, int topicLen, MQTTAsync_message *message) {
  (void)topicLen; /* the wrapper reads the topic up to its NUL */
  Client *c = context;
  // The wrapper returns 0 (message stays with paho) for a missing message or an empty topic.
  if (message == NULL || topicName == NULL || topicName[0] == '\0') return 0;
  Event *e = new_event(EV_MESSAGE, 0);
  if (e) {
    e->topic = copy_string(topicName);
    if (message->payloadlen > 0) {
      e->payload = malloc((size_t)message->payloadlen);
      if (e->payload) {
        memcpy(e->payload, message->payload, (size_t)message->payloadlen);
        e->payloadLength = message->payloadlen;
      }
    }
    e->qos = message->qos;
    e->retained = message->retained;
    e->dup = message->dup;
    e->msgid = message->msgid;
    keep_properties(e, &message->properties);
  }
  post(c, e);
  MQTTAsync_freeMessage(&message);
  MQTTAsync_free(topicName);
  return 1;
}

static int on_ssl_error(const char *str, size_t len, void *u) {
  (void)str;
  (void)len;
  (void)u;
  return 0;
}

static void on_trace(enum MQTTASYNC_TRACE_LEVELS level, char *message) {
  fprintf(stderr, "paho[%d] %s\n", (int)level, message);
}

// ---------------------------------------------------------------------------------------------
// Events to JavaScript (the JS thread)

static napi_value js_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

static napi_value js_string_or_null(napi_env env, const char *s) {
  napi_value out;
  if (s == NULL) napi_get_null(env, &out);
  else napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value js_lenstring(napi_env env, const MQTTLenString *s) {
  napi_value out;
  napi_create_string_utf8(env, s->data ? s->data : "", (size_t)(s->data ? s->len : 0), &out);
  return out;
}

static void set(napi_env env, napi_value obj, const char *name, napi_value v) {
  napi_set_named_property(env, obj, name, v);
}

/** MQTT 5 properties as integer, string and user-property lists (by property type). */
static napi_value js_properties(napi_env env, const Event *e) {
  napi_value out, ints, strs, users;
  napi_create_object(env, &out);
  napi_create_array(env, &ints);
  napi_create_array(env, &strs);
  napi_create_array(env, &users);
  uint32_t ni = 0, ns = 0, nu = 0;
  for (int i = 0; e->hasProperties && i < e->properties.count; i++) {
    const MQTTProperty *p = &e->properties.array[i];
    switch (MQTTProperty_getType(p->identifier)) {
      case MQTTPROPERTY_TYPE_BYTE:
        napi_set_element(env, ints, ni++, js_int(env, p->value.byte));
        break;
      case MQTTPROPERTY_TYPE_TWO_BYTE_INTEGER:
        napi_set_element(env, ints, ni++, js_int(env, p->value.integer2));
        break;
      case MQTTPROPERTY_TYPE_FOUR_BYTE_INTEGER:
      case MQTTPROPERTY_TYPE_VARIABLE_BYTE_INTEGER:
        napi_set_element(env, ints, ni++, js_int(env, (int)p->value.integer4));
        break;
      case MQTTPROPERTY_TYPE_BINARY_DATA:
      case MQTTPROPERTY_TYPE_UTF_8_ENCODED_STRING:
        napi_set_element(env, strs, ns++, js_lenstring(env, &p->value.data));
        break;
      case MQTTPROPERTY_TYPE_UTF_8_STRING_PAIR: {
        napi_value pair;
        napi_create_object(env, &pair);
        set(env, pair, "key", js_lenstring(env, &p->value.data));
        set(env, pair, "val", js_lenstring(env, &p->value.value));
        napi_set_element(env, users, nu++, pair);
        break;
      }
      default:
        break;
    }
  }
  set(env, out, "integerProperties", ints);
  set(env, out, "strProperties", strs);
  set(env, out, "userProperties", users);
  return out;
}

static const char *kind_name(EventKind k) {
  switch (k) {
    case EV_SUCCESS: return "success";
    case EV_FAILURE: return "failure";
    case EV_LOST: return "lost";
    default: return "message";
  }
}

static void deliver(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  Event *e = data;
  if (env == NULL || callback == NULL) {
    free_event(e);
    return;
  }
  napi_value ev, undefined, result;
  napi_create_object(env, &ev);
  set(env, ev, "kind", js_string_or_null(env, kind_name(e->kind)));
  set(env, ev, "request", js_int(env, e->request));
  set(env, ev, "code", js_int(env, e->code));
  set(env, ev, "reasonCode", js_int(env, e->reasonCode));
  set(env, ev, "message", js_string_or_null(env, e->message));
  set(env, ev, "properties", js_properties(env, e));
  if (e->kind == EV_SUCCESS) {
    napi_value granted;
    napi_create_array_with_length(env, (size_t)e->grantedCount, &granted);
    for (int i = 0; i < e->grantedCount; i++) napi_set_element(env, granted, (uint32_t)i, js_int(env, e->granted[i]));
    set(env, ev, "granted", granted);
    set(env, ev, "mqttVersion", js_int(env, e->mqttVersion));
    set(env, ev, "sessionPresent", js_int(env, e->sessionPresent));
  }
  if (e->kind == EV_MESSAGE) {
    void *bytes = NULL;
    napi_value payload;
    napi_create_arraybuffer(env, (size_t)e->payloadLength, &bytes, &payload);
    if (e->payloadLength > 0 && bytes) memcpy(bytes, e->payload, (size_t)e->payloadLength);
    set(env, ev, "topic", js_string_or_null(env, e->topic));
    set(env, ev, "payload", payload);
    set(env, ev, "qos", js_int(env, e->qos));
    set(env, ev, "retained", js_int(env, e->retained));
    set(env, ev, "dup", js_int(env, e->dup));
    set(env, ev, "msgid", js_int(env, e->msgid));
  }
  free_event(e);
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, callback, 1, &ev, &result);
}

// ---------------------------------------------------------------------------------------------
// Lifetime

/** The environment is going away: paho threads may go on running, so stop posting to it. */
static void on_env_teardown(void *arg) {
  Client *c = arg;
  pthread_mutex_lock(&c->lock);
  c->open = 0;
  pthread_mutex_unlock(&c->lock);
}

static void free_client(Client *c) {
  Request *r = c->requests;
  while (r) {
    Request *next = r->next;
    free(r);
    r = next;
  }
  pthread_mutex_destroy(&c->lock);
  free(c);
}

/** The thread-safe function is gone: a destroyed client is freed, a live one (exit) is left. */
static void on_events_finalized(napi_env env, void *data, void *hint) {
  (void)hint;
  Client *c = data;
  napi_remove_env_cleanup_hook(env, on_env_teardown, c);
  if (c->destroyed) free_client(c);
}

static Request *new_request(Client *c, int id, RequestKind kind, int topicCount) {
  Request *r = calloc(1, sizeof(Request));
  if (r == NULL) return NULL;
  r->client = c;
  r->id = id;
  r->kind = kind;
  r->topicCount = topicCount;
  atomic_init(&r->finished, 0);
  r->next = c->requests;
  c->requests = r;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Reading JavaScript arguments

static char *arg_string(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_string) return NULL;
  size_t len = 0;
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  char *out = malloc(len + 1);
  if (out) napi_get_value_string_utf8(env, v, out, len + 1, &len);
  return out;
}

static int arg_int(napi_env env, napi_value v, int fallback) {
  int32_t out;
  return napi_get_value_int32(env, v, &out) == napi_ok ? out : fallback;
}

/** A named property: NULL when absent or undefined (the TypeScript side passes only what it sets). */
static napi_value prop(napi_env env, napi_value obj, const char *name) {
  napi_value v;
  napi_valuetype t;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok) return NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t == napi_undefined || t == napi_null) return NULL;
  return v;
}

static void read_int(napi_env env, napi_value obj, const char *name, int *out) {
  napi_value v = prop(env, obj, name);
  if (v) *out = arg_int(env, v, *out);
}

static void read_string(napi_env env, napi_value obj, const char *name, const char **out) {
  napi_value v = prop(env, obj, name);
  if (v) *out = arg_string(env, v);
}

static Client *arg_client(napi_env env, napi_value v) {
  void *data = NULL;
  if (napi_get_value_external(env, v, &data) != napi_ok) return NULL;
  return data;
}

/** Topic strings of a JS array (NULL-terminated copies). */
static char **arg_topics(napi_env env, napi_value arr, uint32_t *count) {
  *count = 0;
  if (napi_get_array_length(env, arr, count) != napi_ok) return NULL;
  char **topics = calloc(*count + 1, sizeof(char *));
  for (uint32_t i = 0; topics && i < *count; i++) {
    napi_value v;
    napi_get_element(env, arr, i, &v);
    topics[i] = arg_string(env, v);
    if (topics[i] == NULL) topics[i] = copy_string("");
  }
  return topics;
}

static void free_topics(char **topics, uint32_t count) {
  for (uint32_t i = 0; topics && i < count; i++) free(topics[i]);
  free(topics);
}

#define ARGS(n)                                                   \
  size_t argc = n;                                                \
  napi_value argv[n];                                             \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));    \
  if (argc < n) {                                                 \
    napi_throw_type_error(env, NULL, "paho binding: missing arguments"); \
    return NULL;                                                  \
  }

#define CLIENT(v)                                                            \
  Client *c = arg_client(env, v);                                            \
  if (c == NULL || c->destroyed) {                                           \
    napi_throw_error(env, NULL, "paho binding: no such client (destroyed?)"); \
    return NULL;                                                             \
  }

// ---------------------------------------------------------------------------------------------
// Exports

/** create(url, clientId, persistenceType, mqttVersion, onEvent) -> client handle | paho rc */
static napi_value api_create(napi_env env, napi_callback_info info) {
  ARGS(5);
  char *url = arg_string(env, argv[0]);
  char *clientId = arg_string(env, argv[1]);
  int persistence = arg_int(env, argv[2], 0);
  int version = arg_int(env, argv[3], MQTTVERSION_DEFAULT);
  Client *c = calloc(1, sizeof(Client));
  MQTTAsync_createOptions v3 = MQTTAsync_createOptions_initializer;
  MQTTAsync_createOptions v5 = MQTTAsync_createOptions_initializer5;
  int rc = c ? MQTTAsync_createWithOptions(&c->handle, url ? url : "", clientId ? clientId : "", persistence, NULL,
                                           version == MQTTVERSION_5 ? &v5 : &v3)
             : MQTTASYNC_FAILURE;
  free(url);
  free(clientId);
  if (rc != MQTTASYNC_SUCCESS) {
    free(c);
    return js_int(env, rc);
  }
  c->env = env;
  c->open = 1;
  pthread_mutex_init(&c->lock, NULL);
  napi_value name, handle;
  napi_create_string_utf8(env, "paho-events", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_threadsafe_function(env, argv[4], NULL, name, 0, 1, c, on_events_finalized, NULL, deliver,
                                        &c->events));
  // A client never keeps the process alive by itself (the TypeScript side times its own waits).
  napi_unref_threadsafe_function(env, c->events);
  // Registered after the thread-safe function, so it runs before that one's own teardown.
  napi_add_env_cleanup_hook(env, on_env_teardown, c);
  CHECK(napi_create_external(env, c, NULL, NULL, &handle));
  return handle;
}

static napi_value api_set_message_arrived(napi_env env, napi_callback_info info) {
  ARGS(1);
  CLIENT(argv[0]);
  return js_int(env, MQTTAsync_setMessageArrivedCallback(c->handle, c, on_message));
}

static napi_value api_set_connection_lost(napi_env env, napi_callback_info info) {
  ARGS(1);
  CLIENT(argv[0]);
  return js_int(env, MQTTAsync_setConnectionLostCallback(c->handle, c, on_connection_lost));
}

/** connect(client, options, requestId) -> paho rc. `options` holds paho's connect option names. */
static napi_value api_connect(napi_env env, napi_callback_info info) {
  ARGS(3);
  CLIENT(argv[0]);
  napi_value o = argv[1];
  int version = MQTTVERSION_DEFAULT;
  read_int(env, o, "MQTTVersion", &version);
  MQTTAsync_connectOptions opts = MQTTAsync_connectOptions_initializer;
  MQTTAsync_connectOptions opts5 = MQTTAsync_connectOptions_initializer5;
  if (version == MQTTVERSION_5) opts = opts5;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
  read_int(env, o, "keepAliveInterval", &opts.keepAliveInterval);
  read_int(env, o, "cleansession", &opts.cleansession);
  read_int(env, o, "connectTimeout", &opts.connectTimeout);
  read_int(env, o, "retryInterval", &opts.retryInterval);
  read_int(env, o, "automaticReconnect", &opts.automaticReconnect);
  read_int(env, o, "minRetryInterval", &opts.minRetryInterval);
  read_int(env, o, "maxRetryInterval", &opts.maxRetryInterval);
  read_string(env, o, "username", &opts.username);
  read_string(env, o, "password", &opts.password);
  uint32_t uriCount = 0;
  char **uris = NULL;
  napi_value urisValue = prop(env, o, "serverURIs");
  if (urisValue) {
    uris = arg_topics(env, urisValue, &uriCount);
    opts.serverURIs = uris;
    opts.serverURIcount = (int)uriCount;
  }
  napi_value sslValue = prop(env, o, "ssl");
  if (sslValue) {
    read_string(env, sslValue, "trustStore", &ssl.trustStore);
    read_string(env, sslValue, "keyStore", &ssl.keyStore);
    read_string(env, sslValue, "privateKey", &ssl.privateKey);
    read_string(env, sslValue, "privateKeyPassword", &ssl.privateKeyPassword);
    read_string(env, sslValue, "enabledCipherSuites", &ssl.enabledCipherSuites);
    read_string(env, sslValue, "CApath", &ssl.CApath);
    read_int(env, sslValue, "enableServerCertAuth", &ssl.enableServerCertAuth);
    read_int(env, sslValue, "verify", &ssl.verify);
    read_int(env, sslValue, "sslVersion", &ssl.sslVersion);
    ssl.ssl_error_cb = on_ssl_error;
    opts.ssl = &ssl;
  }
  napi_value willValue = prop(env, o, "will");
  if (willValue) {
    read_string(env, willValue, "topicName", &will.topicName);
    read_string(env, willValue, "message", &will.message);
    read_int(env, willValue, "retained", &will.retained);
    read_int(env, willValue, "qos", &will.qos);
    opts.will = &will;
  }
  Request *r = new_request(c, arg_int(env, argv[2], 0), REQ_CONNECT, 0);
  if (version == MQTTVERSION_5) {
    opts.onSuccess5 = on_success5;
    opts.onFailure5 = on_failure5;
  } else {
    opts.onSuccess = on_success;
    opts.onFailure = on_failure;
  }
  opts.context = r;
  int rc = r ? MQTTAsync_connect(c->handle, &opts) : MQTTASYNC_FAILURE;
  // paho keeps copies of every string it needs
  free((void *)opts.username);
  free((void *)opts.password);
  free_topics(uris, uriCount);
  if (sslValue) {
    free((void *)ssl.trustStore);
    free((void *)ssl.keyStore);
    free((void *)ssl.privateKey);
    free((void *)ssl.privateKeyPassword);
    free((void *)ssl.enabledCipherSuites);
    free((void *)ssl.CApath);
  }
  if (willValue) {
    free((void *)will.topicName);
    free((void *)will.message);
  }
  return js_int(env, rc);
}

static void set_response_callbacks(MQTTAsync_responseOptions *opts, Request *r, int v5, int withFailure) {
  if (v5) {
    opts->onSuccess5 = on_success5;
    if (withFailure) opts->onFailure5 = on_failure5;
  } else {
    opts->onSuccess = on_success;
    if (withFailure) opts->onFailure = on_failure;
  }
  opts->context = r;
}

/** subscribeMany(client, topics[], qos[], requestId, v5) -> paho rc */
static napi_value api_subscribe_many(napi_env env, napi_callback_info info) {
  ARGS(5);
  CLIENT(argv[0]);
  uint32_t count = 0, qosCount = 0;
  char **topics = arg_topics(env, argv[1], &count);
  napi_get_array_length(env, argv[2], &qosCount);
  int *qos = calloc(count + 1, sizeof(int));
  for (uint32_t i = 0; qos && i < count && i < qosCount; i++) {
    napi_value v;
    napi_get_element(env, argv[2], i, &v);
    qos[i] = arg_int(env, v, 0);
  }
  bool v5 = false;
  napi_get_value_bool(env, argv[4], &v5);
  Request *r = new_request(c, arg_int(env, argv[3], 0), REQ_SUBSCRIBE, (int)count);
  MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
  set_response_callbacks(&opts, r, v5, 1);
  int rc = (r && topics && qos) ? MQTTAsync_subscribeMany(c->handle, (int)count, topics, qos, &opts) : MQTTASYNC_FAILURE;
  free_topics(topics, count);
  free(qos);
  return js_int(env, rc);
}

/** unsubscribeMany(client, topics[], requestId, v5) -> paho rc */
static napi_value api_unsubscribe_many(napi_env env, napi_callback_info info) {
  ARGS(4);
  CLIENT(argv[0]);
  uint32_t count = 0;
  char **topics = arg_topics(env, argv[1], &count);
  bool v5 = false;
  napi_get_value_bool(env, argv[3], &v5);
  Request *r = new_request(c, arg_int(env, argv[2], 0), REQ_UNSUBSCRIBE, (int)count);
  MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
  set_response_callbacks(&opts, r, v5, 1);
  int rc = (r && topics) ? MQTTAsync_unsubscribeMany(c->handle, (int)count, topics, &opts) : MQTTASYNC_FAILURE;
  free_topics(topics, count);
  return js_int(env, rc);
}

/** sendMessage(client, topic, payload: ArrayBuffer, qos, retained, requestId, v5, userProperties) -> [rc, token] */
static napi_value api_send_message(napi_env env, napi_callback_info info) {
  ARGS(8);
  CLIENT(argv[0]);
  char *topic = arg_string(env, argv[1]);
  void *data = NULL;
  size_t length = 0;
  napi_get_arraybuffer_info(env, argv[2], &data, &length);
  bool v5 = false;
  napi_get_value_bool(env, argv[6], &v5);
  MQTTAsync_message msg = MQTTAsync_message_initializer;
  msg.payload = data;
  msg.payloadlen = (int)length;
  msg.qos = arg_int(env, argv[3], 0);
  msg.retained = arg_int(env, argv[4], 0);
  uint32_t pairCount = 0;
  napi_get_array_length(env, argv[7], &pairCount);
  for (uint32_t i = 0; v5 && i < pairCount; i++) {
    napi_value pair, k, v;
    napi_get_element(env, argv[7], i, &pair);
    napi_get_element(env, pair, 0, &k);
    napi_get_element(env, pair, 1, &v);
    char *key = arg_string(env, k);
    char *val = arg_string(env, v);
    MQTTProperty p;
    p.identifier = MQTTPROPERTY_CODE_USER_PROPERTY;
    p.value.data.data = key ? key : "";
    p.value.data.len = key ? (int)strlen(key) : 0;
    p.value.value.data = val ? val : "";
    p.value.value.len = val ? (int)strlen(val) : 0;
    MQTTProperties_add(&msg.properties, &p); /* copies the strings */
    free(key);
    free(val);
  }
  Request *r = new_request(c, arg_int(env, argv[5], 0), REQ_PUBLISH, 0);
  MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
  set_response_callbacks(&opts, r, v5, 1);
  int rc = (r && topic) ? MQTTAsync_sendMessage(c->handle, topic, &msg, &opts) : MQTTASYNC_FAILURE;
  MQTTProperties_free(&msg.properties);
  free(topic);
  napi_value out;
  napi_create_array_with_length(env, 2, &out);
  napi_set_element(env, out, 0, js_int(env, rc));
  napi_set_element(env, out, 1, js_int(env, opts.token));
  return out;
}

/** disconnect(client, timeoutMs, requestId, v5) -> paho rc. Only onSuccess, as the wrapper sets it. */
static napi_value api_disconnect(napi_env env, napi_callback_info info) {
  ARGS(4);
  CLIENT(argv[0]);
  bool v5 = false;
  napi_get_value_bool(env, argv[3], &v5);
  Request *r = new_request(c, arg_int(env, argv[2], 0), REQ_DISCONNECT, 0);
  MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;
  opts.timeout = arg_int(env, argv[1], 0);
  if (v5) opts.onSuccess5 = on_success5;
  else opts.onSuccess = on_success;
  opts.context = r;
  return js_int(env, r ? MQTTAsync_disconnect(c->handle, &opts) : MQTTASYNC_FAILURE);
}

static napi_value api_reconnect(napi_env env, napi_callback_info info) {
  ARGS(1);
  CLIENT(argv[0]);
  return js_int(env, MQTTAsync_reconnect(c->handle));
}

static napi_value api_is_connected(napi_env env, napi_callback_info info) {
  ARGS(1);
  Client *c = arg_client(env, argv[0]);
  napi_value out;
  napi_get_boolean(env, c != NULL && !c->destroyed && MQTTAsync_isConnected(c->handle), &out);
  return out;
}

// ---- work off the JS thread: waitForCompletion and destroy block in paho --------------------

typedef struct Work {
  napi_async_work work;
  napi_deferred deferred;
  Client *client;
  Request *request;
  MQTTAsync_token token;
  unsigned long timeout;
  int rc;
  int finished;
} Work;

static void wait_execute(napi_env env, void *data) {
  (void)env;
  Work *w = data;
  w->rc = MQTTAsync_waitForCompletion(w->client->handle, w->token, w->timeout);
  w->finished = w->request ? atomic_load(&w->request->finished) : 0;
}

static void wait_complete(napi_env env, napi_status status, void *data) {
  (void)status;
  Work *w = data;
  napi_value out;
  napi_create_object(env, &out);
  set(env, out, "rc", js_int(env, w->rc));
  set(env, out, "finished", js_int(env, w->finished));
  napi_resolve_deferred(env, w->deferred, out);
  napi_delete_async_work(env, w->work);
  free(w);
}

static Request *find_request(Client *c, int id) {
  for (Request *r = c->requests; r; r = r->next)
    if (r->id == id) return r;
  return NULL;
}

/**
 * waitForCompletion(client, token, timeoutMs, requestId) -> Promise<{rc, finished}>: paho's
 * blocking wait on a worker thread, then whether that request's callback had run by then.
 */
static napi_value api_wait_for_completion(napi_env env, napi_callback_info info) {
  ARGS(4);
  CLIENT(argv[0]);
  Work *w = calloc(1, sizeof(Work));
  napi_value promise, name;
  if (w == NULL) {
    napi_throw_error(env, NULL, "paho binding: out of memory");
    return NULL;
  }
  w->client = c;
  w->token = arg_int(env, argv[1], 0);
  w->timeout = (unsigned long)arg_int(env, argv[2], 0);
  w->request = find_request(c, arg_int(env, argv[3], 0));
  CHECK(napi_create_promise(env, &w->deferred, &promise));
  napi_create_string_utf8(env, "paho-wait", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_async_work(env, NULL, name, wait_execute, wait_complete, w, &w->work));
  CHECK(napi_queue_async_work(env, w->work));
  return promise;
}

static void destroy_execute(napi_env env, void *data) {
  (void)env;
  Work *w = data;
  MQTTAsync_destroy(&w->client->handle);
}

static void destroy_complete(napi_env env, napi_status status, void *data) {
  (void)status;
  Work *w = data;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  napi_resolve_deferred(env, w->deferred, undefined);
  napi_delete_async_work(env, w->work);
  // Events paho queued while closing are still delivered; then the client is freed.
  napi_release_threadsafe_function(w->client->events, napi_tsfn_release);
  free(w);
}

/** destroy(client) -> Promise<void>: MQTTAsync_destroy on a worker thread (it may wait for paho's threads). */
static napi_value api_destroy(napi_env env, napi_callback_info info) {
  ARGS(1);
  CLIENT(argv[0]);
  c->destroyed = 1;
  Work *w = calloc(1, sizeof(Work));
  napi_value promise, name;
  if (w == NULL) {
    napi_throw_error(env, NULL, "paho binding: out of memory");
    return NULL;
  }
  w->client = c;
  CHECK(napi_create_promise(env, &w->deferred, &promise));
  napi_create_string_utf8(env, "paho-destroy", NAPI_AUTO_LENGTH, &name);
  CHECK(napi_create_async_work(env, NULL, name, destroy_execute, destroy_complete, w, &w->work));
  CHECK(napi_queue_async_work(env, w->work));
  return promise;
}

/** setTrace(level): paho's trace level; lines go to stderr (0 switches tracing off). */
static napi_value api_set_trace(napi_env env, napi_callback_info info) {
  ARGS(1);
  int level = arg_int(env, argv[0], 0);
  MQTTAsync_setTraceCallback(level > 0 ? on_trace : NULL);
  if (level > 0) MQTTAsync_setTraceLevel((enum MQTTASYNC_TRACE_LEVELS)level);
  return NULL;
}

/** version() -> paho's "Version" string from MQTTAsync_getVersionInfo. */
static napi_value api_version(napi_env env, napi_callback_info info) {
  (void)info;
  for (MQTTAsync_nameValue *nv = MQTTAsync_getVersionInfo(); nv && nv->name; nv++)
    if (strcmp(nv->name, "Version") == 0) return js_string_or_null(env, nv->value);
  return js_string_or_null(env, NULL);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"create", NULL, api_create, NULL, NULL, NULL, napi_default, NULL},
    {"setMessageArrived", NULL, api_set_message_arrived, NULL, NULL, NULL, napi_default, NULL},
    {"setConnectionLost", NULL, api_set_connection_lost, NULL, NULL, NULL, napi_default, NULL},
    {"connect", NULL, api_connect, NULL, NULL, NULL, napi_default, NULL},
    {"subscribeMany", NULL, api_subscribe_many, NULL, NULL, NULL, napi_default, NULL},
    {"unsubscribeMany", NULL, api_unsubscribe_many, NULL, NULL, NULL, napi_default, NULL},
    {"sendMessage", NULL, api_send_message, NULL, NULL, NULL, napi_default, NULL},
    {"waitForCompletion", NULL, api_wait_for_completion, NULL, NULL, NULL, napi_default, NULL},
    {"disconnect", NULL, api_disconnect, NULL, NULL, NULL, napi_default, NULL},
    {"reconnect", NULL, api_reconnect, NULL, NULL, NULL, napi_default, NULL},
    {"isConnected", NULL, api_is_connected, NULL, NULL, NULL, napi_default, NULL},
    {"destroy", NULL, api_destroy, NULL, NULL, NULL, napi_default, NULL},
    {"setTrace", NULL, api_set_trace, NULL, NULL, NULL, napi_default, NULL},
    {"version", NULL, api_version, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(paho_async, init)
