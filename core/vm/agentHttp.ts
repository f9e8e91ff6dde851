import { type IncomingMessage, request } from 'node:http';
import { PassThrough } from 'node:stream';
import { type ErrorCode, StevedoreError } from '../errors.js';
import type { AgentEndpoint } from './agentClient.js';

/**
 * One HTTP exchange with a machine's agent, beside its WebSocket (core/client/agentProtocol.ts),
 * with its token: the response once its head is in (the body is the caller's to read).
 */
export function agentHttp(
  agent: AgentEndpoint,
  method: string,
  path: string,
  body?: { stream: NodeJS.ReadableStream; length?: number; type: string },
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // A body that fails on the way (a file here unreadable) is the error, not the connection it cut.
    let bodyError: Error | undefined;
    body?.stream.once('error', (err) => {
      bodyError = err as Error;
      req.destroy(bodyError);
    });
    const req = request(
      {
        host: '127.0.0.1',
        port: agent.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${agent.token}`,
          // Without a length the body goes chunked (a tar made as it is sent).
          ...(body ? { 'content-type': body.type } : {}),
          ...(body?.length !== undefined ? { 'content-length': body.length } : {}),
        },
      },
      resolve,
    );
    req.on('error', (err) =>
      reject(bodyError ?? new StevedoreError('UNREACHABLE', `the machine's agent could not be reached: ${err.message}`)),
    );
    if (body) body.stream.pipe(req);
    else req.end();
  });
}

/** A JSON body for agentHttp. */
export function jsonBody(value: unknown): { stream: NodeJS.ReadableStream; length: number; type: string } {
  const bytes = Buffer.from(JSON.stringify(value));
  const stream = new PassThrough();
  stream.end(bytes);
  return { stream, length: bytes.length, type: 'application/json' };
}

/** The whole body of an answer, as text. */
export async function bodyText(res: IncomingMessage): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) text += chunk as string;
  return text;
}

/** An agent's refusal ({code, message} with a status other than 200) as the engine's error. */
export async function refusal(res: IncomingMessage, what: string): Promise<StevedoreError> {
  const text = await bodyText(res);
  try {
    const { code, message } = JSON.parse(text) as { code: ErrorCode; message: string };
    return new StevedoreError(code, `${what}: ${message}`);
  } catch {
    return new StevedoreError('INTERNAL', `${what}: the machine's agent answered HTTP ${res.statusCode}`);
  }
}
