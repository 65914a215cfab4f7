// ObjectMeta as kubectl's generators fill it: name, the namespace only when -n was given, and
// the `creationTimestamp: null` a zero Go time encodes to.

/** metadata for a generated object, in ObjectMeta's field order. */
export function objectMeta(name: string, namespace?: string, labels?: Record<string, string>): Record<string, unknown> {
  const meta: Record<string, unknown> = { name };
  if (namespace) meta.namespace = namespace;
  meta.creationTimestamp = null;
  if (labels) meta.labels = labels;
  return meta;
}
