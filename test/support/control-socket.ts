// One request to `capstan sim --control-socket`: a line out, the first line back.
import { connect } from 'node:net';

export function askControlSocket(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath, () => s.write(`${line}\n`));
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      if (buf.includes('\n')) {
        s.end();
        resolve(buf.trim());
      }
    });
    s.on('error', reject);
  });
}
