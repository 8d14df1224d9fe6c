// The test kit: what the Node integration tests, the fault scenarios, the benches and quotefeed's
// embedded broker share. One of each: brokers (aedes in this process or in its own, mosquitto),
// free ports and waiting, child processes stopped by pid, busy cores for the timing scenarios, a
// cutting TCP proxy, a test certificate.
// Written in TypeScript: test files import it directly (they are bundled), the .mjs scripts
// (benches) bundle it with tools/node/bundle.mjs first. See tests/README.md.
export { brokerUrls, withBroker } from './broker';
export type { Broker, BrokerKind, ConnectRecord } from './broker';
export { startAedes } from './aedes';
export type { AedesBroker, AedesBrokerOptions } from './aedes';
export { startAedesProcess } from './aedes-process';
export type { AedesProcess } from './aedes-process';
export { findMosquitto, mosquittoConnects, requireMosquitto, startMosquitto, startMutualTlsMosquitto } from './mosquitto';
export type { Mosquitto, MosquittoOptions } from './mosquitto';
export { accepts, freePort, silentServer, waitForListening } from './ports';
export type { SilentServer } from './ports';
export { sleep, waitFor } from './wait';
export { stop, track } from './processes';
export { describeLoad, startCpuLoad, withCpuLoad } from './load';
export type { CpuLoad, CpuLoadOptions, LoadReport } from './load';
export { projectPath, projectRoot } from './paths';
export { startCuttingProxy } from './proxy';
export type { CuttingProxy } from './proxy';
export { makeTestPki, selfSignedCert } from "./tls";
export type { TestCertificate, TestPki } from "./tls";
