"""Shared helpers of the python-client compatibility scripts.

Each script takes the admin kubeconfig path and a namespace of its own as arguments and
prints one JSON document on stdout; the Bun test asserts on it.
"""
import json
import sys

from kubernetes import client, config

MERGE_PATCH = "application/merge-patch+json"


def setup():
    """Loads the kubeconfig given on the command line; returns the script's namespace."""
    kubeconfig, namespace = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    return namespace


def merge_patch_client():
    """An ApiClient whose requests carry Content-Type: application/merge-patch+json.

    kubernetes 22.x has no `_content_type` argument: a dict body is always sent as
    strategic-merge-patch+json. A default header overrides the generated one (ApiClient
    applies default_headers after the operation's own headers), so a separate client is
    used only for merge patches.
    """
    api = client.ApiClient()
    api.set_default_header("Content-Type", MERGE_PATCH)
    return api


def record_requests(api_client):
    """Wraps the client's urllib3 pool so every request's method, path and Content-Type is kept."""
    seen = []
    pool = api_client.rest_client.pool_manager
    original = pool.request

    def request(method, url, *args, **kwargs):
        headers = kwargs.get("headers") or {}
        seen.append({"method": method, "url": url, "contentType": headers.get("Content-Type")})
        return original(method, url, *args, **kwargs)

    pool.request = request
    return seen


def ensure_namespace(name):
    """Creates the namespace the script works in."""
    client.CoreV1Api().create_namespace({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


def api_error(err):
    """The parts of an ApiException a test asserts on."""
    try:
        body = json.loads(err.body) if err.body else None
    except ValueError:
        body = err.body
    return {"status": err.status, "body": body}


def emit(result):
    """Prints the script's result as JSON."""
    json.dump(result, sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
