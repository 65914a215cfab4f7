"""watch.Watch().stream over ConfigMaps while another thread changes them.

1. A "seed" ConfigMap exists before the watch starts. The watch is opened without a
   resourceVersion, so the server first sends the current state (ADDED seed); once that
   arrives the watch is known to be live, and a thread creates, merge-patches and deletes
   "live". The stream is stopped when DELETED live arrives; timeout_seconds=5 and the
   read timeout only bound the wait if it never does.
2. A watch from the list's resourceVersion with timeout_seconds=1 and no changes must be
   ended by the server with no events.
"""
import threading

from kubernetes import client, watch

from common import emit, ensure_namespace, merge_patch_client, setup

ns = setup()
ensure_namespace(ns)
v1 = client.CoreV1Api()
v1.create_namespaced_config_map(ns, {"metadata": {"name": "seed", "labels": {"watched": "yes"}}, "data": {"n": "0"}})

changes_error = []


def make_changes():
    try:
        writer = client.CoreV1Api(client.ApiClient())
        writer.create_namespaced_config_map(ns, {"metadata": {"name": "live", "labels": {"watched": "yes"}}, "data": {"n": "1"}})
        client.CoreV1Api(merge_patch_client()).patch_namespaced_config_map("live", ns, {"data": {"n": "2"}})
        writer.delete_namespaced_config_map("live", ns)
    except Exception as err:  # reported in the output, asserted by the test
        changes_error.append(repr(err))


events = []
started = None
w = watch.Watch()
for event in w.stream(v1.list_namespaced_config_map, ns, label_selector="watched=yes", timeout_seconds=5, _request_timeout=30):
    obj = event["object"]
    events.append({
        "type": event["type"],
        "name": obj.metadata.name,
        "data": obj.data,
        "resourceVersion": obj.metadata.resource_version,
        "model": type(obj).__name__,
    })
    if started is None and event["type"] == "ADDED" and obj.metadata.name == "seed":
        started = threading.Thread(target=make_changes)
        started.start()
    if event["type"] == "DELETED" and obj.metadata.name == "live":
        w.stop()
if started is not None:
    started.join(30)

listed = v1.list_namespaced_config_map(ns)
quiet_events = []
for event in watch.Watch().stream(
    v1.list_namespaced_config_map, ns, resource_version=listed.metadata.resource_version, timeout_seconds=1, _request_timeout=30
):
    quiet_events.append({"type": event["type"], "name": event["object"].metadata.name})

emit({"events": events, "changesError": changes_error, "quietEvents": quiet_events, "quietEnded": True})
