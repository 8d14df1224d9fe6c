// paho's session persistence (in memory: persistenceType 1) over mqtt.js stores.
import { Store } from 'mqtt';

/** A store whose close() is a no-op, so one paho session can span several mqtt.js clients. */
export class SessionStore extends Store {
  close(cb?: () => void): void {
    if (cb) cb();
  }
}

/** The in-flight messages of one paho session, both ways; a clean session starts a new one. */
export class Session {
  incoming = new SessionStore();
  outgoing = new SessionStore();

  reset(): void {
    this.incoming = new SessionStore();
    this.outgoing = new SessionStore();
  }
}
