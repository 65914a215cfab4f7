"""The client's default patch (a dict body is sent as a strategic merge patch) on a Deployment."""
from kubernetes import client

from common import emit, ensure_namespace, record_requests, setup

ns = setup()
ensure_namespace(ns)
apps = client.AppsV1Api()
result = {}


def container(name, image):
    return client.V1Container(name=name, image=image, env=[client.V1EnvVar(name="MODE", value="a")])


apps.create_namespaced_deployment(
    ns,
    client.V1Deployment(
        metadata=client.V1ObjectMeta(name="web", labels={"app": "web"}),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "web"}),
                spec=client.V1PodSpec(containers=[container("web", "nginx:1.27"), container("side", "busybox:1.36")]),
            ),
        ),
    ),
)

sent = record_requests(apps.api_client)
patch = {
    "metadata": {"labels": {"tier": "front"}},
    "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28", "env": [{"name": "LEVEL", "value": "2"}]}]}}},
}
patched = apps.patch_namespaced_deployment("web", ns, patch)
result["contentType"] = sent[-1]["contentType"]
result["labels"] = patched.metadata.labels
result["containers"] = [
    {"name": c.name, "image": c.image, "env": [[e.name, e.value] for e in (c.env or [])]} for c in patched.spec.template.spec.containers
]
result["managers"] = [[m.manager, m.operation] for m in (patched.metadata.managed_fields or [])]
emit(result)
