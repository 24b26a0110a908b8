/**
 * An SMTP server on loopback for the e-mail benchmark (smtp-server, in its own
 * process so that its work is not counted in the sender's): accepts every
 * message without authentication or TLS, reads it to the end and counts it.
 * Tells its port to the parent; on "count" answers how many messages and
 * bytes it received; on "stop" closes.
 */
import { SMTPServer } from 'smtp-server';

let messages = 0;
let bytes = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 50 * 2 ** 20,
  onData(stream, _session, callback) {
    stream.on('data', (c: Buffer) => (bytes += c.length));
    stream.on('end', () => {
      messages++;
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.server.address();
  process.send!({ type: 'ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
});
process.on('message', (m: { type: string }) => {
  if (m.type === 'count') process.send!({ type: 'count', messages, bytes });
  if (m.type === 'stop') server.close(() => process.disconnect?.());
});
