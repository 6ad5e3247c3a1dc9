// The X.509 library's dependency-injection container refuses to load unless `Reflect.getMetadata`
// exists (it expects the reflect-metadata polyfill). It only reads constructor parameter metadata,
// which our code never declares, so a small WeakMap-backed implementation of the three functions
// it calls is enough. Must be imported before '@peculiar/x509' (see x509.ts).
type MetadataTarget = object;
type MetadataKey = unknown;

const store = new WeakMap<MetadataTarget, Map<MetadataKey, unknown>>();

function own(target: MetadataTarget, create: boolean): Map<MetadataKey, unknown> | undefined {
  let m = store.get(target);
  if (!m && create) store.set(target, (m = new Map()));
  return m;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  const getOwnMetadata = (key: MetadataKey, target: MetadataTarget): unknown => own(target, false)?.get(key);
  const getMetadata = (key: MetadataKey, target: MetadataTarget): unknown => {
    for (let t: MetadataTarget | null = target; t; t = Object.getPrototypeOf(t) as MetadataTarget | null) {
      const m = own(t, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: MetadataKey, value: unknown, target: MetadataTarget): void => {
    own(target, true)!.set(key, value);
  };
  const metadata = (key: MetadataKey, value: unknown) => (target: MetadataTarget): void => defineMetadata(key, value, target);
  Object.assign(reflect, { getOwnMetadata, getMetadata, defineMetadata, metadata });
}

export {};
