import { createServer } from "node:net";

/** Whether this machine can bind the IPv6 loopback (often disabled in containers). */
export async function ipv6LoopbackAvailable(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}
