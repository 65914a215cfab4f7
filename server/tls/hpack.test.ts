import { describe, expect, test } from "bun:test";
import { huffmanCodes, huffmanDecode, huffmanEncode, HuffmanError } from "./hpack-huffman.ts";
import { encodeResponseHeaders, HeaderListTooLarge, HpackDecoder, HpackError } from "./hpack.ts";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");

describe("Huffman code", () => {
  test("the canonical code built from the lengths has RFC 7541's codes", () => {
    const codes = huffmanCodes();
    expect(codes.length).toBe(257);
    expect(codes[48]).toEqual({ code: 0x0, length: 5 }); // '0'
    expect(codes[32]).toEqual({ code: 0x14, length: 6 }); // ' '
    expect(codes[0]).toEqual({ code: 0x1ff8, length: 13 });
    expect(codes[255]).toEqual({ code: 0x3ffffee, length: 26 });
    expect(codes[256]).toEqual({ code: 0x3fffffff, length: 30 }); // EOS
  });

  test("decodes RFC 7541's examples, and encodes them back to the same bytes", () => {
    const examples: [string, string][] = [
      ["f1e3 c2e5 f23a 6ba0 ab90 f4ff", "www.example.com"],
      ["a8eb 1064 9cbf", "no-cache"],
      ["25a8 49e9 5ba9 7d7f", "custom-key"],
      ["25a8 49e9 5bb8 e8b4 bf", "custom-value"],
      ["6402", "302"],
      ["d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff", "Mon, 21 Oct 2013 20:13:21 GMT"],
      ["9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3", "https://www.example.com"],
      ["94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
    ];
    for (const [bytes, text] of examples) {
      expect(huffmanDecode(hex(bytes), 0, hex(bytes).length)).toBe(text);
      expect(huffmanEncode(text).toString("hex")).toBe(bytes.replace(/\s/g, ""));
    }
  });

  test("every byte value survives a round trip", () => {
    let all = "";
    for (let i = 0; i < 256; i++) all += String.fromCharCode(i, 255 - i);
    const coded = huffmanEncode(all);
    expect(huffmanDecode(coded, 0, coded.length)).toBe(all);
  });

  test("EOS in the string, padding of zeros, and padding longer than 7 bits are refused", () => {
    expect(() => huffmanDecode(hex("ffffffff"), 0, 4)).toThrow(HuffmanError);
    expect(() => huffmanDecode(hex("00"), 0, 1)).toThrow(HuffmanError); // '0' then three zero bits
    expect(() => huffmanDecode(hex("1fff"), 0, 2)).toThrow(HuffmanError); // 'a' (00011) then 11 one bits
  });
});

describe("HPACK decoder", () => {
  const list = (fields: [string, string][]) => fields.map(([n, v]) => `${n}: ${v}`);

  // RFC 7541 C.3 and C.4: three requests sharing the dynamic table, without and with Huffman coding.
  const requests = [
    [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"],
    [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"],
    [":method: GET", ":scheme: https", ":path: /index.html", ":authority: www.example.com", "custom-key: custom-value"],
  ];
  const blocks: [string, string[]][] = [
    ["C.3, without Huffman coding", ["8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", "8286 84be 5808 6e6f 2d63 6163 6865", "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"]],
    ["C.4, with Huffman coding", ["8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", "8286 84be 5886 a8eb 1064 9cbf", "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"]],
  ];
  for (const [name, sequence] of blocks) {
    test(`RFC 7541 ${name}: three requests share the dynamic table`, () => {
      const decoder = new HpackDecoder();
      expect(sequence.map((bytes) => list(decoder.decode(hex(bytes))))).toEqual(requests);
    });
  }

  test("RFC 7541 C.5: with a 256-byte table, the oldest entries are evicted as new ones come", () => {
    const decoder = new HpackDecoder(256);
    decoder.decode(hex("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
    // The second response indexes ":status: 307"; ":status: 302" (the oldest) is evicted.
    expect(list(decoder.decode(hex("4803 3330 37c1 c0bf")))).toEqual([":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com"]);
    expect(() => decoder.decode(hex("c4"))).toThrow(HpackError); // index 68: beyond the four entries left
  });

  test("a dynamic table size update: allowed first in a block up to the announced size, refused after a field or above it", () => {
    const decoder = new HpackDecoder();
    decoder.decode(hex("400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"));
    expect(list(decoder.decode(hex("be")))).toEqual(["custom-key: custom-value"]);
    expect(list(decoder.decode(hex("20 82")))).toEqual([":method: GET"]); // size 0 empties the table
    expect(() => decoder.decode(hex("be"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("82 20"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("3fe2 1f"))).toThrow(HpackError); // 4,097
  });

  test("malformed blocks are refused: index 0, integers cut short or too large, strings past the block, bad Huffman", () => {
    const decoder = new HpackDecoder();
    expect(() => decoder.decode(hex("80"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("ff"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("ff ffff ffff ff7f"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("0085 6162"))).toThrow(HpackError);
    expect(() => decoder.decode(hex("0081 00 00"))).toThrow(HpackError);
  });

  test("a list over the limit is refused, and the table stays in step for the next block", () => {
    const decoder = new HpackDecoder(4096, 100);
    // custom-key: "a" * 100, with incremental indexing: 142 bytes of list, over 100.
    const block = Buffer.concat([hex("400a 6375 7374 6f6d 2d6b 6579 64"), Buffer.alloc(100, 0x61)]);
    expect(() => decoder.decode(block)).toThrow(HeaderListTooLarge);
    expect(() => decoder.decode(hex("be"))).toThrow(HeaderListTooLarge); // the entry was added all the same
    expect(list(decoder.decode(hex("82")))).toEqual([":method: GET"]);
  });
});

describe("HPACK encoder", () => {
  test("response headers decode back; common statuses take one byte", () => {
    const block = encodeResponseHeaders(200, { "content-type": "application/json", "x-custom": "v", "set-cookie": ["a=1", "b=2"] as unknown as string });
    expect(block[0]).toBe(0x88);
    expect(new HpackDecoder().decode(block)).toEqual([
      [":status", "200"],
      ["content-type", "application/json"],
      ["x-custom", "v"],
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
    ]);
    expect(new HpackDecoder().decode(encodeResponseHeaders(201, { "content-length": 12 }))).toEqual([
      [":status", "201"],
      ["content-length", "12"],
    ]);
  });
});
