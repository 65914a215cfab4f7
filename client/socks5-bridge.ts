// `proxy-url: socks5://…` support. Bun's fetch only speaks HTTP proxies, so requests go to a
// loopback HTTP CONNECT proxy started on demand in this process, which opens each tunnel
// through the SOCKS5 proxy (RFC 1928, with RFC 1929 username/password when the URL has
// credentials). Host names are resolved by the SOCKS server, as client-go's dialer does.
import { connect, createServer, isIPv4, isIPv6, type Server, type Socket } from "node:net";

const bridges = new Map<string, Promise<string>>();
const dialFailures = new Map<string, Error>();

/** Why the bridge for `socksUrl` last failed to reach the SOCKS server (code ECONNREFUSED, …), if it did. */
export function socks5DialFailure(socksUrl: string): Error | undefined {
  return dialFailures.get(socksUrl);
}

/** The http:// URL of a local CONNECT proxy that tunnels through `socksUrl`, started once per URL. */
export function socks5Bridge(socksUrl: string): Promise<string> {
  let bridge = bridges.get(socksUrl);
  if (!bridge) {
    bridge = startBridge(new URL(socksUrl));
    bridges.set(socksUrl, bridge);
  }
  return bridge;
}

async function startBridge(socks: URL): Promise<string> {
  const server: Server = createServer((client) => void bridgeConnection(client, socks, (err) => dialFailures.set(socks.href, err)));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  server.unref();
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

/** Reads the CONNECT request, opens the SOCKS tunnel, then relays bytes both ways. */
async function bridgeConnection(client: Socket, socks: URL, dialFailed: (err: Error) => void): Promise<void> {
  client.on("error", () => {});
  const reader = new SocketReader(client);
  let upstream: Socket | undefined;
  try {
    const head = await reader.untilBlankLine();
    const target = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/i.exec(head);
    if (!target) throw new Error("not a CONNECT request");
    upstream = await openTunnel(socks, target[1]!.replace(/^\[|\]$/g, ""), Number(target[2]), dialFailed);
    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
    const rest = reader.leftover();
    if (rest.length > 0) upstream.write(rest);
    reader.release();
    upstream.pipe(client);
    client.pipe(upstream);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream?.destroy());
  } catch (err) {
    upstream?.destroy();
    client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nsocks connect ${socks.host}: ${(err as Error).message}\n`);
  }
}

const replyErrors: Record<number, string> = {
  1: "general SOCKS server failure",
  2: "connection not allowed by ruleset",
  3: "network unreachable",
  4: "host unreachable",
  5: "connection refused",
  6: "TTL expired",
  7: "command not supported",
  8: "address type not supported",
};

async function openTunnel(socks: URL, host: string, port: number, dialFailed: (err: Error) => void): Promise<Socket> {
  const socket = connect({ host: socks.hostname.replace(/^\[|\]$/g, ""), port: Number(socks.port || 1080) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", (err) => {
      dialFailed(err);
      reject(err);
    });
  });
  const reader = new SocketReader(socket);
  try {
    const user = decodeURIComponent(socks.username);
    const password = decodeURIComponent(socks.password);
    socket.write(Buffer.from(user ? [5, 2, 0, 2] : [5, 1, 0]));
    const [version, method] = await reader.bytes(2);
    if (version !== 5) throw new Error("the proxy does not speak SOCKS5");
    if (method === 2) {
      const u = Buffer.from(user);
      const p = Buffer.from(password);
      socket.write(Buffer.concat([Buffer.from([1, u.length]), u, Buffer.from([p.length]), p]));
      const [, status] = await reader.bytes(2);
      if (status !== 0) throw new Error("username/password authentication failed");
    } else if (method !== 0) {
      throw new Error("no acceptable authentication methods");
    }
    socket.write(Buffer.concat([Buffer.from([5, 1, 0]), encodeAddress(host), Buffer.from([port >> 8, port & 0xff])]));
    const [, reply, , addressType] = await reader.bytes(4);
    if (reply !== 0) throw new Error(replyErrors[reply!] ?? `unknown error ${reply}`);
    const addressLength = addressType === 1 ? 4 : addressType === 4 ? 16 : (await reader.bytes(1))[0]!;
    await reader.bytes(addressLength + 2);
    reader.release();
    return socket;
  } catch (err) {
    socket.destroy();
    throw err;
  }
}

function encodeAddress(host: string): Buffer {
  if (isIPv4(host)) return Buffer.from([1, ...host.split(".").map(Number)]);
  if (isIPv6(host)) {
    const bytes = new Uint8Array(16);
    const [left, right = ""] = host.split("::");
    const groups = (s: string) => (s ? s.split(":").map((g) => parseInt(g, 16)) : []);
    const head = groups(left!);
    const tail = groups(right);
    [...head, ...Array(8 - head.length - tail.length).fill(0), ...tail].forEach((g, i) => {
      bytes[i * 2] = g >> 8;
      bytes[i * 2 + 1] = g & 0xff;
    });
    return Buffer.concat([Buffer.from([4]), bytes]);
  }
  const name = Buffer.from(host);
  return Buffer.concat([Buffer.from([3, name.length]), name]);
}

/** Buffers a socket's data so handshakes can read exact byte counts, then steps aside. */
class SocketReader {
  private buffered = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly onData = (chunk: Buffer) => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.failure ??= new Error("connection closed during the handshake");
    this.wake?.();
  };

  constructor(private readonly socket: Socket) {
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("error", (err) => {
      this.failure ??= err;
      this.wake?.();
    });
  }

  async bytes(n: number): Promise<Buffer> {
    await this.until(() => this.buffered.length >= n);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  async untilBlankLine(): Promise<string> {
    await this.until(() => this.buffered.includes("\r\n\r\n"));
    const end = this.buffered.indexOf("\r\n\r\n") + 4;
    const head = this.buffered.subarray(0, end).toString("latin1");
    this.buffered = this.buffered.subarray(end);
    return head;
  }

  leftover(): Buffer {
    return this.buffered;
  }

  /** Stops listening; later data flows to whoever pipes the socket. */
  release(): void {
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.pause();
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
