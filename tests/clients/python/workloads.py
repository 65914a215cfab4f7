"""A Pod and a Deployment created with typed models, then listed with label selectors."""
from kubernetes import client

from common import emit, ensure_namespace, setup

ns = setup()
ensure_namespace(ns)
v1 = client.CoreV1Api()
apps = client.AppsV1Api()
result = {}


def pod(name, labels):
    return client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels=labels),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image="nginx:1.27", ports=[client.V1ContainerPort(container_port=80)])]),
    )


created_pods = [
    v1.create_namespaced_pod(ns, pod("web-1", {"app": "web", "tier": "front"})),
    v1.create_namespaced_pod(ns, pod("web-2", {"app": "web", "tier": "back"})),
    v1.create_namespaced_pod(ns, pod("db-1", {"app": "db", "tier": "back"})),
]
first = created_pods[0]
result["pod"] = {
    "name": first.metadata.name,
    "namespace": first.metadata.namespace,
    "labels": first.metadata.labels,
    "image": first.spec.containers[0].image,
    "containerPort": first.spec.containers[0].ports[0].container_port,
    "hasStatus": first.status is not None,
}

deployment = apps.create_namespaced_deployment(
    ns,
    client.V1Deployment(
        metadata=client.V1ObjectMeta(name="api", labels={"app": "api"}),
        spec=client.V1DeploymentSpec(
            replicas=2,
            selector=client.V1LabelSelector(match_labels={"app": "api"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "api"}),
                spec=client.V1PodSpec(containers=[client.V1Container(name="api", image="nginx:1.27")]),
            ),
        ),
    ),
)
read = apps.read_namespaced_deployment("api", ns)
result["deployment"] = {
    "created": deployment.metadata.name,
    "kind": deployment.kind,
    "apiVersion": deployment.api_version,
    "replicas": read.spec.replicas,
    "selector": read.spec.selector.match_labels,
    "templateLabels": read.spec.template.metadata.labels,
    "image": read.spec.template.spec.containers[0].image,
}


def names(items):
    return sorted(i.metadata.name for i in items)


result["selectors"] = {
    "app=web": names(v1.list_namespaced_pod(ns, label_selector="app=web").items),
    "app=web,tier!=back": names(v1.list_namespaced_pod(ns, label_selector="app=web,tier!=back").items),
    "tier in (back)": names(v1.list_namespaced_pod(ns, label_selector="tier in (back)").items),
    "app notin (web,api)": names(v1.list_namespaced_pod(ns, label_selector="app notin (web,api)").items),
    "!missing,app=db": names(v1.list_namespaced_pod(ns, label_selector="!missing,app=db").items),
    "deployments app=api": names(apps.list_namespaced_deployment(ns, label_selector="app=api").items),
    "deployments app=web": names(apps.list_namespaced_deployment(ns, label_selector="app=web").items),
}
result["allNamespaces"] = sorted(
    f"{p.metadata.namespace}/{p.metadata.name}" for p in v1.list_pod_for_all_namespaces(label_selector="app=db").items if p.metadata.namespace == ns
)

apps.delete_namespaced_deployment("api", ns)
try:
    apps.read_namespaced_deployment("api", ns)
    result["deploymentAfterDelete"] = 200
except client.ApiException as err:
    result["deploymentAfterDelete"] = err.status

emit(result)
