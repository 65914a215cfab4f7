// JSON patch (RFC 6902) with JSON pointers (RFC 6901), as `application/json-patch+json` applies it.

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** A patch that cannot be applied; the server reports it as 422 or 400 with this message. */
export class JsonPatchError extends Error {}

/** Applies the operations in order to a copy of `doc` and returns it. */
export function applyJsonPatch(doc: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let result = structuredClone(doc);
  for (const raw of operations) {
    const op = raw as JsonPatchOperation;
    if (!op || typeof op !== "object" || typeof op.op !== "string") throw new JsonPatchError("unexpected kind: <nil>");
    if (typeof op.path !== "string") throw new JsonPatchError(`missing path: ${JSON.stringify(op)}`);
    switch (op.op) {
      case "add":
        result = add(result, op.path, requireValue(op));
        break;
      case "remove":
        result = remove(result, op.path);
        break;
      case "replace":
        get(result, op.path);
        result = add(remove(result, op.path), op.path, requireValue(op));
        break;
      case "move": {
        const value = get(result, fromOf(op));
        result = add(remove(result, fromOf(op)), op.path, value);
        break;
      }
      case "copy":
        result = add(result, op.path, structuredClone(get(result, fromOf(op))));
        break;
      case "test":
        if (JSON.stringify(get(result, op.path)) !== JSON.stringify(op.value)) {
          throw new JsonPatchError(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new JsonPatchError(`Unexpected kind: ${op.op}`);
    }
  }
  return result;
}

function requireValue(op: JsonPatchOperation): unknown {
  if (!("value" in op)) throw new JsonPatchError(`missing value for ${op.op} operation at ${op.path}`);
  return structuredClone(op.value);
}

function fromOf(op: JsonPatchOperation): string {
  if (typeof op.from !== "string") throw new JsonPatchError(`missing from for ${op.op} operation`);
  return op.from;
}

function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new JsonPatchError(`invalid JSON pointer: ${path}`);
  return path.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function get(doc: unknown, path: string): unknown {
  let node: any = doc;
  for (const token of parsePointer(path)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length - 1, path)];
    else if (node && typeof node === "object" && token in node) node = node[token];
    else throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  }
  return node;
}

function parentOf(doc: unknown, path: string): { parent: any; key: string } {
  const tokens = parsePointer(path);
  if (!tokens.length) return { parent: undefined, key: "" };
  const key = tokens.pop() as string;
  let parent: any = doc;
  for (const token of tokens) {
    if (Array.isArray(parent)) parent = parent[arrayIndex(token, parent.length - 1, path)];
    else if (parent && typeof parent === "object" && token in parent) parent = parent[token];
    else throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  }
  if (!parent || typeof parent !== "object") throw new JsonPatchError(`doc is missing path: "${path}": missing value`);
  return { parent, key };
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const { parent, key } = parentOf(doc, path);
  if (path === "") return value;
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : arrayIndex(key, parent.length, path);
    parent.splice(index, 0, value);
  } else parent[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const { parent, key } = parentOf(doc, path);
  if (path === "") return undefined;
  if (Array.isArray(parent)) parent.splice(arrayIndex(key, parent.length - 1, path), 1);
  else if (key in parent) delete parent[key];
  else throw new JsonPatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  return doc;
}

function arrayIndex(token: string, max: number, path: string): number {
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new JsonPatchError(`invalid array index in ${path}`);
  const index = Number(token);
  if (index > max) throw new JsonPatchError(`Unable to access invalid index: ${index}: invalid index referenced`);
  return index;
}
