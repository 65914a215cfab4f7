// The TokenRequest `kubectl create token` sends, with its flag checks.

type Obj = Record<string, unknown>;

/** Options of `create token SA`. */
export interface TokenOptions {
  audiences: string[];
  /** Milliseconds; 0 leaves the lifetime to the server. */
  durationMs: number;
  boundKind: string;
  boundName: string;
  boundUid: string;
}

const BOUND_KINDS: Record<string, string> = { Node: "v1", Pod: "v1", Secret: "v1" };

/** Checks the flags in kubectl's order and builds the TokenRequest. */
export function tokenRequest(o: TokenOptions): Obj {
  for (const a of o.audiences) if (a === "") throw new Error("--audience must not be an empty string");
  if (o.durationMs < 0) throw new Error("--duration must be greater than or equal to 0");
  if (o.durationMs % 1000 !== 0) throw new Error("--duration cannot be expressed in units less than seconds");
  if (!o.boundKind) {
    if (o.boundName) throw new Error("--bound-object-name can only be set if --bound-object-kind is provided");
    if (o.boundUid) throw new Error("--bound-object-uid can only be set if --bound-object-kind is provided");
  } else {
    if (!(o.boundKind in BOUND_KINDS)) throw new Error(`supported --bound-object-kind values are ${Object.keys(BOUND_KINDS).sort().join(", ")}`);
    if (!o.boundName) throw new Error("--bound-object-name is required if --bound-object-kind is provided");
  }
  let boundObjectRef: Obj | null = null;
  if (o.boundKind) {
    boundObjectRef = { kind: o.boundKind, apiVersion: BOUND_KINDS[o.boundKind], name: o.boundName };
    if (o.boundUid) boundObjectRef.uid = o.boundUid;
  }
  return {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    spec: {
      audiences: o.audiences.length > 0 ? o.audiences : null,
      expirationSeconds: o.durationMs > 0 ? o.durationMs / 1000 : null,
      boundObjectRef,
    },
    status: { token: "", expirationTimestamp: null },
  };
}
