"""CoreV1Api list/create/patch/read/delete of ConfigMaps with the official python client."""
from kubernetes import client

from common import MERGE_PATCH, api_error, emit, ensure_namespace, merge_patch_client, record_requests, setup

ns = setup()
ensure_namespace(ns)
v1 = client.CoreV1Api()
result = {}

result["namespaces"] = sorted(n.metadata.name for n in v1.list_namespace().items)

created = v1.create_namespaced_config_map(
    ns,
    client.V1ConfigMap(
        metadata=client.V1ObjectMeta(name="settings", labels={"app": "demo"}),
        data={"color": "blue", "size": "m"},
    ),
)
result["created"] = {
    "name": created.metadata.name,
    "namespace": created.metadata.namespace,
    "labels": created.metadata.labels,
    "data": created.data,
    "hasUid": bool(created.metadata.uid),
    "resourceVersion": created.metadata.resource_version,
    "creationTimestampIsDatetime": type(created.metadata.creation_timestamp).__name__ == "datetime",
}

# The client's default patch: a dict body, no explicit content type. Done on a ConfigMap of
# its own so that whether the server accepts it does not change the rest of the script.
v1.create_namespaced_config_map(ns, {"metadata": {"name": "strategic"}, "data": {"a": "1"}})
sent = record_requests(v1.api_client)
try:
    patched = v1.patch_namespaced_config_map("strategic", ns, {"data": {"b": "2"}})
    outcome = {"status": 200, "data": patched.data}
except client.ApiException as err:
    outcome = api_error(err)
result["defaultPatch"] = {"contentType": sent[-1]["contentType"], "outcome": outcome}

merge_api = merge_patch_client()
merge_sent = record_requests(merge_api)
patched = client.CoreV1Api(merge_api).patch_namespaced_config_map(
    "settings",
    ns,
    {"metadata": {"labels": {"tier": "back"}}, "data": {"color": "red", "size": None, "shape": "round"}},
)
result["mergePatch"] = {
    "contentType": merge_sent[-1]["contentType"],
    "data": patched.data,
    "labels": patched.metadata.labels,
    "resourceVersionChanged": patched.metadata.resource_version != created.metadata.resource_version,
    "sameUid": patched.metadata.uid == created.metadata.uid,
}
assert merge_sent[-1]["contentType"] == MERGE_PATCH

read = v1.read_namespaced_config_map("settings", ns)
result["read"] = {"data": read.data, "labels": read.metadata.labels, "resourceVersion": read.metadata.resource_version == patched.metadata.resource_version}

result["listedBySelector"] = sorted(c.metadata.name for c in v1.list_namespaced_config_map(ns, label_selector="tier=back").items)
result["listedAll"] = sorted(c.metadata.name for c in v1.list_namespaced_config_map(ns).items)

deleted = v1.delete_namespaced_config_map("settings", ns)
result["deleted"] = {"kind": deleted.kind, "status": deleted.status, "detailsName": deleted.details.name if deleted.details else None}

try:
    v1.read_namespaced_config_map("settings", ns)
    result["readAfterDelete"] = {"status": 200}
except client.ApiException as err:
    result["readAfterDelete"] = api_error(err)

emit(result)
