// The one entry point to '@peculiar/x509' for this module: installs the metadata shim it needs
// and points it at Node's WebCrypto. Import `x509` from here, never from the package directly.
import './reflect-metadata.js';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509, webcrypto };
