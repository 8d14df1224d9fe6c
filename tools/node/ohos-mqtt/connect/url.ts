// The server URL as paho reads it (MQTTAsync_createWithOptions, MQTTProtocol_addressPort).

export interface UrlInfo {
  scheme: 'tcp' | 'ssl' | 'ws' | 'wss';
  host: string;
  port: number;
  wsPath: string;
}

/** undefined for a scheme paho does not know (MQTTASYNC_BAD_PROTOCOL) or a broken IPv6 literal. */
export function parseUrl(url: string): UrlInfo | undefined {
  // paho MQTTAsync_createWithOptions: known prefixes, anything else with "://" is BAD_PROTOCOL;
  // no "://" at all means tcp host:port.
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(url);
  let scheme: UrlInfo['scheme'];
  let rest: string;
  if (!m) {
    scheme = 'tcp';
    rest = url;
  } else {
    const s = m[1];
    if (s === 'tcp' || s === 'mqtt') scheme = 'tcp';
    else if (s === 'ssl' || s === 'mqtts') scheme = 'ssl';
    else if (s === 'ws') scheme = 'ws';
    else if (s === 'wss') scheme = 'wss';
    else return undefined;
    rest = m[2];
  }
  let wsPath = '/mqtt';
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    wsPath = rest.slice(slash) || '/mqtt';
    rest = rest.slice(0, slash);
  }
  let host = rest;
  let portText = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return undefined;
    host = rest.slice(1, close);
    if (rest[close + 1] === ':') portText = rest.slice(close + 2);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
  }
  // paho MQTTProtocol_addressPort: default ports by scheme; atoi() of the port text.
  const defaults = { tcp: 1883, ssl: 8883, ws: 80, wss: 443 };
  const port = portText === '' ? defaults[scheme] : parseInt(portText, 10) || 0;
  return { scheme, host, port, wsPath };
}
