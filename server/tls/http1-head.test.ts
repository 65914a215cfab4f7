import { describe, expect, test } from "bun:test";
import { HeadError, parseRequestHead } from "./http1-head.ts";
import { ChunkedDecoder } from "./http1-chunked.ts";

function refused(text: string): { status: number; message: string } {
  try {
    parseRequestHead(text);
  } catch (error) {
    if (error instanceof HeadError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error("accepted");
}

describe("request heads", () => {
  test("request line, fields in order with lowercased names, values trimmed", () => {
    const head = parseRequestHead("POST /api/v1/namespaces/default/pods?dryRun=All HTTP/1.1\r\nHost: localhost:6443\r\nContent-Type:  application/json \r\nContent-Length: 12\r\nX-Two: a\r\nx-two: b");
    expect(head.method).toBe("POST");
    expect(head.target).toBe("/api/v1/namespaces/default/pods?dryRun=All");
    expect(head.httpVersion).toBe("1.1");
    expect(head.headers).toEqual([
      ["host", "localhost:6443"],
      ["content-type", "application/json"],
      ["content-length", "12"],
      ["x-two", "a"],
      ["x-two", "b"],
    ]);
    expect(head.contentLength).toBe(12);
    expect(head.chunked).toBe(false);
    expect(head.keepAlive).toBe(true);
    expect(head.expectContinue).toBe(false);
    expect(head.upgrade).toBe(false);
  });

  test("keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 never", () => {
    expect(parseRequestHead("GET / HTTP/1.1\r\nConnection: keep-alive, Close").keepAlive).toBe(false);
    expect(parseRequestHead("GET / HTTP/1.0\r\nConnection: keep-alive").keepAlive).toBe(false);
    expect(parseRequestHead("GET / HTTP/1.0").httpVersion).toBe("1.0");
  });

  test("chunked bodies, Expect: 100-continue and upgrades are recognised", () => {
    const chunked = parseRequestHead("PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nExpect: 100-Continue");
    expect([chunked.chunked, chunked.contentLength, chunked.expectContinue]).toEqual([true, undefined, true]);
    expect(parseRequestHead("GET /exec HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1").upgrade).toBe(true);
    expect(parseRequestHead("GET /exec HTTP/1.1\r\nUpgrade: SPDY/3.1").upgrade).toBe(false);
  });

  test("malformed heads are refused with the status Go's server uses", () => {
    expect(refused("GET /\r\nHost: x").status).toBe(400);
    expect(refused("GET  / HTTP/1.1").status).toBe(400);
    expect(refused("G(T / HTTP/1.1").status).toBe(400);
    expect(refused("GET / HTTP/2.0").status).toBe(505);
    expect(refused("GET / HTTQ/1.1").status).toBe(400);
    expect(refused("GET / HTTP/1.1\r\nNo colon here").status).toBe(400);
    expect(refused("GET / HTTP/1.1\r\nX-A: 1\r\n  folded").message).toBe("malformed MIME header line");
    expect(refused("GET / HTTP/1.1\r\nBad Name: 1").status).toBe(400);
    expect(refused("GET / HTTP/1.1\r\nX-A: a\x00b").status).toBe(400);
    expect(refused("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6").message).toBe("conflicting Content-Length headers");
    expect(refused("POST / HTTP/1.1\r\nContent-Length: -1").status).toBe(400);
    expect(refused("POST / HTTP/1.1\r\nContent-Length: 1e3").status).toBe(400);
    expect(refused("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked").status).toBe(501);
    expect(refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked").status).toBe(400);
  });

  test("repeated identical Content-Length fields are one length", () => {
    expect(parseRequestHead("POST / HTTP/1.1\r\nContent-Length: 7\r\nContent-Length: 7").contentLength).toBe(7);
  });
});

describe("chunked request bodies", () => {
  const body = "4\r\nWiki\r\n7;ext=1\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nTrailer: x\r\n\r\nNEXT";

  function decode(pieces: Buffer[]): { data: string; rest: string | undefined } {
    const decoder = new ChunkedDecoder();
    let data = "";
    let rest: string | undefined;
    for (const piece of pieces) {
      if (decoder.done) rest += piece.toString();
      else rest = decoder.feed(piece, (chunk) => (data += chunk.toString()))?.toString();
    }
    return { data, rest };
  }

  test("decodes whole, and split at every byte boundary, leaving what follows the body", () => {
    const bytes = Buffer.from(body);
    expect(decode([bytes])).toEqual({ data: "Wikipedia in \r\nchunks.", rest: "NEXT" });
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decode([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual({ data: "Wikipedia in \r\nchunks.", rest: "NEXT" });
    }
    expect(decode([...bytes].map((b) => Buffer.from([b])))).toEqual({ data: "Wikipedia in \r\nchunks.", rest: "NEXT" });
  });

  test("bad framing is refused", () => {
    for (const bad of ["zz\r\nab\r\n", "2\r\nabc\r\n", "\r\n", `${"1".repeat(9)}\r\n`]) {
      expect(() => new ChunkedDecoder().feed(Buffer.from(bad), () => {})).toThrow(HeadError);
    }
    expect(() => new ChunkedDecoder().feed(Buffer.alloc(5000, "1"), () => {})).toThrow("chunked encoding line too long");
  });
});
