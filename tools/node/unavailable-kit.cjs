// Stands in for a platform module that has no Node double: any use throws, naming the module.
module.exports = function unavailableKit(moduleName) {
  const fail = (what) => {
    throw new Error(`${moduleName} is not available on Node (used: ${what}); device-only code must not run in tests`);
  };
  const handler = {
    get(_target, prop) {
      if (prop === '__esModule' || prop === 'then' || typeof prop === 'symbol') return undefined;
      return new Proxy(function unavailable() {}, {
        get: (_t, inner) => (typeof inner === 'symbol' || inner === 'then' ? undefined : fail(`${String(prop)}.${String(inner)}`)),
        apply: () => fail(String(prop)),
        construct: () => fail(`new ${String(prop)}`),
      });
    },
  };
  return new Proxy({}, handler);
};
