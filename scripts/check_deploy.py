"""Offline checks of the deployment files; run through scripts/check-deploy, which installs the tools.

Every check has a self-test on a deliberately broken fixture (scripts/deploy-fixtures/), so a
check that silently stopped detecting anything fails CI too.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import hcl2
import helm_python
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "helm" / "blockfleet"
TERRAFORM = ROOT / "terraform"
FIXTURES = ROOT / "scripts" / "deploy-fixtures"
OUT = ROOT / ".local" / "deploy-check"
RELEASE, NAMESPACE = "blockfleet", "blockfleet"
# The Kubernetes version of terraform/envs/example's EKS cluster (var.kubernetes_version).
KUBE_VERSION = "1.33.0"
# Custom resources: their schemas ship with their operators (KEDA, prometheus-operator, External
# Secrets), not with Kubernetes, so kubernetes-validate has none. They are checked structurally
# below (apiVersion, kind, metadata.name, namespace, spec) and skipped for schema validation.
CRD_KINDS = {
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
    ("external-secrets.io/v1", "ExternalSecret"),
    ("external-secrets.io/v1", "SecretStore"),
    ("vpcresources.k8s.aws/v1beta1", "SecurityGroupPolicy"),
}
# Lint findings of this severity or above fail (helm lint --strict: warnings are errors).
LINT_WARNING = 2


class CheckFailed(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# The checks, each usable on the real files and on a broken fixture.


def render(values, chart=CHART):
    """Renders the chart as `helm install` would (schema validation included); returns documents."""
    rendered = helm_python.Chart.load(str(chart)).render(
        values, name=RELEASE, namespace=NAMESPACE, is_install=True
    )
    docs = []
    for template, text in sorted(rendered.items()):
        if not template.endswith((".yaml", ".yml")):
            continue  # NOTES.txt
        for doc in yaml.safe_load_all(text):
            if doc:
                docs.append((template, doc))
    return docs


def minimal_values():
    """The least a plain install needs (ci/default-values.yaml: where S3/STS and the nodes are)."""
    return yaml.safe_load((CHART / "ci" / "default-values.yaml").read_text()) or {}


def lint(values, chart=CHART):
    report = helm_python.lint(str(chart), values, strict=True, namespace=NAMESPACE, kube_version="v" + KUBE_VERSION)
    problems = list(report.get("errors") or [])
    problems += [
        f"{m['path']}: {m['error']}" for m in report.get("messages") or [] if m["severity"] >= LINT_WARNING
    ]
    return problems


def validate(docs):
    """Schema-validates every document (strict: unknown fields are errors); returns problems and the CRDs skipped."""
    problems, skipped = [], []
    seen = set()
    for template, doc in docs:
        kind, api = doc.get("kind"), doc.get("apiVersion")
        meta = doc.get("metadata") or {}
        where = f"{template}: {kind}/{meta.get('name')}"
        key = (api, kind, meta.get("namespace"), meta.get("name"))
        if key in seen:
            problems.append(f"{where}: rendered twice")
        seen.add(key)
        if meta.get("namespace") != NAMESPACE and kind not in ("ConfigMap",):
            problems.append(f"{where}: metadata.namespace must be the release's ({NAMESPACE})")
        if (api, kind) in CRD_KINDS:
            skipped.append(f"{api} {kind}")
            if not meta.get("name") or "spec" not in doc:
                problems.append(f"{where}: custom resource without metadata.name or spec")
            continue
        try:
            kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = "/".join(str(p) for p in error.path)
            problems.append(f"{where}: {path}: {error.message}")
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as error:
            problems.append(f"{where}: no Kubernetes {KUBE_VERSION} schema ({error}); add it to CRD_KINDS only if it is a CRD")
    return problems, sorted(set(skipped))


def write_manifests(docs, folder):
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for index, (_, doc) in enumerate(docs):
        name = f"{index:02d}-{doc['kind'].lower()}-{doc['metadata']['name']}.yaml"
        (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False))


def checkov(checkov_bin, folder, framework, file=None):
    """Runs checkov offline on a folder (or one file in it); returns failed checks and skips that carry no justification."""
    command = [
        # Run inside the folder: checkov ignores files whose absolute path has a hidden folder (.local).
        str(Path(checkov_bin).resolve()), *(["--file", file] if file else ["--directory", "."]), "--framework", framework, "--output", "json",
        "--compact", "--skip-download", "--download-external-modules", "false",
    ]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT / ".local"), "BC_SKIP_MAPPING": "TRUE",
           "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LANG": "C.UTF-8"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200, cwd=folder)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise CheckFailed(f"checkov printed no JSON (exit {done.returncode}): {done.stderr[-2000:]}{done.stdout[-2000:]}")
    reports = report if isinstance(report, list) else [report]
    failed, unjustified, passed, skipped = [], [], 0, 0
    for one in reports:
        results = one.get("results") or {}
        passed += len(results.get("passed_checks") or [])
        for check in results.get("failed_checks") or []:
            failed.append(f"{check['check_id']} {check.get('check_name', '')} — {check['resource']} ({check['file_path']})")
        for check in results.get("skipped_checks") or []:
            skipped += 1
            reason = (check.get("check_result") or {}).get("suppress_comment") or ""
            if len(reason.strip()) < 15 or reason.strip().lower() == "no comment provided":
                unjustified.append(f"{check['check_id']} on {check['resource']}: skip without a reason ({reason!r})")
    if done.returncode not in (0, 1):
        raise CheckFailed(f"checkov exited {done.returncode}: {done.stderr[-2000:]}")
    return failed, unjustified, passed, skipped


def parse_terraform(paths):
    problems = []
    for path in paths:
        try:
            with open(path) as handle:
                hcl2.load(handle)
        except Exception as error:  # python-hcl2 raises lark errors of several types
            problems.append(f"{path.relative_to(ROOT)}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    return problems


META_ARGUMENTS = {"source", "version", "count", "for_each", "depends_on", "providers"}


def _unquote(key):
    return key.strip('"')


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def terraform_wiring(root):
    """What `terraform validate` would catch without providers (no terraform binary here): module
    calls pass only variables the module declares and every one it requires; var., local. and
    module.<name>.<output> references resolve; every variable and output has a description."""
    problems = []
    folders = {}
    for path in sorted(root.rglob("*.tf")):
        folder = folders.setdefault(path.parent, {"variables": {}, "outputs": {}, "locals": set(), "modules": {}, "text": []})
        with open(path) as handle:
            parsed = hcl2.load(handle)
        where = path.relative_to(root.parent)
        for block in parsed.get("variable", []):
            for name, body in block.items():
                folder["variables"][_unquote(name)] = "default" in body
                if not _unquote(str(body.get("description", ""))).strip():
                    problems.append(f"{where}: variable {_unquote(name)} has no description")
        for block in parsed.get("output", []):
            for name, body in block.items():
                folder["outputs"][_unquote(name)] = True
                if not _unquote(str(body.get("description", ""))).strip():
                    problems.append(f"{where}: output {_unquote(name)} has no description")
        for block in parsed.get("locals", []):
            folder["locals"].update(k for k in block if k != "__is_block__")
        for block in parsed.get("module", []):
            for name, body in block.items():
                folder["modules"][_unquote(name)] = (where, body)
        folder["text"].append((where, parsed))
    for directory, folder in folders.items():
        for name, (where, body) in folder["modules"].items():
            source = _unquote(body.get("source", ""))
            target = (directory / source).resolve()
            if target not in folders:
                problems.append(f"{where}: module {name}: source {source} has no .tf files")
                continue
            declared = folders[target]["variables"]
            given = {k for k in body if k not in META_ARGUMENTS and k != "__is_block__"}
            for unknown in sorted(given - declared.keys()):
                problems.append(f"{where}: module {name} passes {unknown}, which {source} does not declare")
            for missing in sorted(k for k, has_default in declared.items() if not has_default and k not in given):
                problems.append(f"{where}: module {name} does not pass required variable {missing}")
        for where, parsed in folder["text"]:
            for text in _strings(parsed):
                for ref in re.findall(r"\bvar\.([A-Za-z_][\w-]*)", text):
                    if ref not in folder["variables"]:
                        problems.append(f"{where}: var.{ref} is not declared")
                for ref in re.findall(r"\blocal\.([A-Za-z_][\w-]*)", text):
                    if ref not in folder["locals"]:
                        problems.append(f"{where}: local.{ref} is not defined")
                for module, output in re.findall(r"\bmodule\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)", text):
                    if module not in folder["modules"]:
                        problems.append(f"{where}: module.{module} is not called here")
                        continue
                    source = _unquote(folder["modules"][module][1].get("source", ""))
                    outputs = folders.get((directory / source).resolve(), {}).get("outputs", {})
                    if output not in outputs:
                        problems.append(f"{where}: module.{module}.{output} is not an output of {source}")
    return sorted(set(problems))


# Identity policies whose KMS calls are the principal's own, not a service's on its behalf, so no
# kms:ViaService can apply: each with its reason.
KMS_DIRECT_USE = {
    "cluster_kms": "the EKS control plane encrypts Secrets with the cluster role's own KMS calls",
}


def terraform_least_privilege(root):
    """Issue 18's Terraform guarantees: KMS is used through S3 or SSM only (kms:ViaService on every
    identity policy's kms:Decrypt / GenerateDataKey), a role Redshift assumes names this account
    (aws:SourceAccount), and no database admits the EKS cluster's security group (every pod)."""
    problems = []
    for path in sorted(root.rglob("*.tf")):
        where = path.relative_to(root.parent)
        with open(path) as handle:
            parsed = hcl2.load(handle)
        for block in parsed.get("data", []):
            for name, documents in (block.get('"aws_iam_policy_document"') or block.get("aws_iam_policy_document") or {}).items():
                for statement in documents.get("statement", []):
                    actions = {_unquote(a) for a in statement.get("actions", [])}
                    conditions = {_unquote(c.get("variable", "")) for c in statement.get("condition", [])}
                    principals = statement.get("principals", [])
                    services = {_unquote(i) for p in principals if _unquote(p.get("type", "")) == "Service" for i in p.get("identifiers", [])}
                    if not principals and _unquote(name) not in KMS_DIRECT_USE and actions & {"kms:Decrypt", "kms:GenerateDataKey", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:*"} \
                            and "kms:ViaService" not in conditions:
                        problems.append(f"{where}: policy {_unquote(name)}: {sorted(actions)} without a kms:ViaService condition")
                    if "redshift.amazonaws.com" in services and "sts:AssumeRole" in actions and "aws:SourceAccount" not in conditions:
                        problems.append(f"{where}: policy {_unquote(name)}: Redshift may assume the role without an aws:SourceAccount condition")
        local_values = {}
        for block in parsed.get("locals", []):
            local_values.update({k: v for k, v in block.items() if k != "__is_block__"})
        for block in parsed.get("module", []):
            for name, body in block.items():
                admitted = body.get("allowed_security_group_ids")
                if admitted is None:
                    continue
                text = json.dumps(admitted)
                for ref in re.findall(r"\blocal\.([A-Za-z_][\w-]*)", text):
                    text += json.dumps(local_values.get(ref))
                if "cluster_security_group_id" in text:
                    problems.append(f"{where}: module {_unquote(name)} admits the EKS cluster's security group (every pod); admit the fleet pods' group")
    return problems


def database_tls(root, dockerfile):
    """Every database URL Terraform builds verifies the server (sslmode=verify-full) against a CA
    bundle the image ships (its sslrootcert is a file the Dockerfile puts in /etc/blockfleet/ca/)."""
    problems = []
    shipped = {f"/etc/blockfleet/ca/{name}" for name in re.findall(r"-o /ca/([\w.-]+)", dockerfile)} \
        if re.search(r"COPY --from=build\b[^\n]* /ca/ /etc/blockfleet/ca/", dockerfile) else set()
    for path in sorted(root.rglob("*.tf")):
        where = path.relative_to(root.parent)
        text = path.read_text()
        with open(path) as handle:
            parsed = hcl2.load(handle)
        bundles = {_unquote(name): _unquote(str(body.get("default", ""))) for block in parsed.get("variable", [])
                   for name, body in block.items() if _unquote(name) == "ca_bundle_path"}
        for mode in re.findall(r"sslmode=([\w-]+)", text):
            if mode != "verify-full":
                problems.append(f"{where}: a database URL with sslmode={mode}; it must be verify-full")
        for name, bundle in bundles.items():
            if bundle not in shipped:
                problems.append(f"{where}: sslrootcert {bundle} is not a bundle the Dockerfile ships ({sorted(shipped)})")
        if re.search(r"(postgres|redshift)://", text) and "sslrootcert=" not in text and "local.tls" not in text:
            problems.append(f"{where}: a database URL without sslrootcert")
    return problems


def hcl_object_key_paths(expression):
    """Key paths of the object literals in an HCL expression (`{a = {b = x}}` gives a, a.b)."""
    paths, stack, pending = set(), [], None
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[{}]|([A-Za-z_][\w]*)\s*=(?!=)', expression):
        token = match.group(0)
        if token.startswith('"'):
            continue
        if token == "{":
            stack.append(pending)
            pending = None
        elif token == "}":
            stack.pop()
        else:
            pending = match.group(1)
            paths.add(".".join([k for k in stack if k] + [pending]))
    return paths


def yaml_key_paths(value, prefix=""):
    paths = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            paths.add(path)
            paths |= yaml_key_paths(inner, path)
    return paths


def chart_values_output_keys():
    with open(TERRAFORM / "envs" / "example" / "outputs.tf") as handle:
        outputs = hcl2.load(handle)
    for block in outputs.get("output", []):
        for name, body in block.items():
            if _unquote(name) == "chart_values":
                return hcl_object_key_paths(body["value"])
    raise CheckFailed("terraform/envs/example/outputs.tf has no chart_values output")


def yamllint(paths):
    done = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", "-c", str(ROOT / ".yamllint"), "-f", "parsable", *map(str, paths)],
        capture_output=True, text=True,
    )
    return [line for line in done.stdout.splitlines() if line.strip()] or ([done.stderr.strip()] if done.returncode else [])


# ---------------------------------------------------------------------------------------------
# What the chart must render, beyond being valid.


def containers(doc):
    spec = doc.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) if doc["kind"] != "Pod" else spec
    return pod, pod.get("containers", []) + pod.get("initContainers", [])


def chart_invariants(docs, values):
    problems = []
    by_kind = {}
    for _, doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)

    def named(kind, suffix):
        return [d for d in by_kind.get(kind, []) if d["metadata"]["name"].endswith(suffix)]

    for doc in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []) + by_kind.get("Job", []):
        pod, cs = containers(doc)
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{name}: pod securityContext.runAsNonRoot is not true")
        for c in cs:
            sc = c.get("securityContext", {})
            if not sc.get("readOnlyRootFilesystem") or sc.get("allowPrivilegeEscalation") is not False \
                    or sc.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{name}/{c['name']}: securityContext must be read-only root, no escalation, drop ALL")
            if not c.get("resources", {}).get("limits") or not c.get("resources", {}).get("requests"):
                problems.append(f"{name}/{c['name']}: resources requests and limits are required")
            if doc["kind"] != "Job" and ("livenessProbe" not in c or "readinessProbe" not in c):
                problems.append(f"{name}/{c['name']}: liveness and readiness probes are required")

    coordinator = named("Deployment", "-coordinator")
    if len(coordinator) != 1 or coordinator[0]["spec"]["replicas"] < 2:
        problems.append("coordinator: one Deployment with at least 2 replicas expected")
    if not named("PodDisruptionBudget", "-coordinator"):
        problems.append("coordinator: no PodDisruptionBudget")

    for pool in ("worker", "loader"):
        deployment = named("Deployment", f"-{pool}")
        if not deployment:
            continue
        pod, (c, *_) = containers(deployment[0])
        env = {e["name"]: e.get("value") for e in c["env"]}
        grace = int(env["BLOCKFLEET_SHUTDOWN_GRACE_SECONDS"])
        if pod["terminationGracePeriodSeconds"] <= grace:
            problems.append(f"{pool}: terminationGracePeriodSeconds {pod['terminationGracePeriodSeconds']} is not above the drain grace {grace}")
        if "/scratch" not in [m["mountPath"] for m in c["volumeMounts"]] or env.get("BLOCKFLEET_SCRATCH_DIR") != "/scratch":
            problems.append(f"{pool}: no writable scratch volume at BLOCKFLEET_SCRATCH_DIR")
        keda = values.get(pool, {}).get("keda", {}).get("enabled", False)
        hpa, scaled = named("HorizontalPodAutoscaler", f"-{pool}"), named("ScaledObject", f"-{pool}")
        if keda and (hpa or not scaled):
            problems.append(f"{pool}: with KEDA on, a ScaledObject and no HPA of the chart's own are expected")
        if keda and scaled and scaled[0]["spec"]["minReplicaCount"] != 0:
            problems.append(f"{pool}: KEDA should scale to zero by default")
        if keda and scaled and "queue_depth" not in scaled[0]["spec"]["triggers"][0]["metadata"]["query"]:
            problems.append(f"{pool}: the KEDA trigger must read the queue_depth view")
    worker_hpa = named("HorizontalPodAutoscaler", "-worker")
    if not values.get("worker", {}).get("keda", {}).get("enabled"):
        if not worker_hpa or worker_hpa[0]["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] != 70:
            problems.append("worker: an HPA at 70% CPU is expected")

    job = named("Job", "-migrate")
    if not job or "pre-install" not in job[0]["metadata"]["annotations"].get("helm.sh/hook", ""):
        problems.append("migration: no pre-install/pre-upgrade hook Job")

    if values.get("geth", {}).get("enabled"):
        if not named("StatefulSet", "-geth") or not named("Service", "-geth"):
            problems.append("geth: StatefulSet and ClusterIP Service expected")
        worker = named("Deployment", "-worker")
        if worker:
            env = {e["name"]: e.get("value") for e in containers(worker[0])[1][0]["env"]}
            if "-geth." not in env.get("BLOCKFLEET_RPC_URLS", ""):
                problems.append("geth: workers do not default to the geth Service")
    if values.get("externalSecrets", {}).get("enabled") and not by_kind.get("ExternalSecret"):
        problems.append("externalSecrets: no ExternalSecret rendered")
    if values.get("serviceMonitor", {}).get("enabled") and not by_kind.get("ServiceMonitor"):
        problems.append("serviceMonitor: none rendered")
    if not values.get("rbac", {}).get("rules") and (by_kind.get("Role") or by_kind.get("ClusterRole")):
        problems.append("rbac: a Role was rendered although no pod needs one")
    for sa in by_kind.get("ServiceAccount", []):
        if sa.get("automountServiceAccountToken") is not False:
            problems.append(f"ServiceAccount/{sa['metadata']['name']}: token automount must be off")

    dashboards = sorted((CHART / "dashboards").glob("*.json")) if (CHART / "dashboards").is_dir() else []
    maps = [d for d in by_kind.get("ConfigMap", []) if d["metadata"].get("labels", {}).get("grafana_dashboard") == "1"]
    if len(maps) != len(dashboards):
        problems.append(f"dashboards: {len(dashboards)} JSON files but {len(maps)} ConfigMaps")
    return problems + least_privilege_invariants(docs, merged_values(values))


def merged_values(overrides, chart=CHART):
    """The chart's values.yaml with a values file over it, as Helm merges them (maps deep, lists replaced)."""
    def merge(base, over):
        if isinstance(base, dict) and isinstance(over, dict):
            out = dict(base)
            for key, value in over.items():
                out[key] = merge(base.get(key), value) if key in base else value
            return out
        return over
    return merge(yaml.safe_load((chart / "values.yaml").read_text()), overrides or {})


# The env variables that carry passwords or API keys: never plain values in a pod spec.
SECRET_ENV = ("BLOCKFLEET_DATABASE_URL", "BLOCKFLEET_DATABASE_DIRECT_URL", "BLOCKFLEET_WAREHOUSE_URL", "BLOCKFLEET_MODEL_WAREHOUSE_URL", "BLOCKFLEET_RPC_URLS")
GETH_HTTP_API = {"eth", "net", "web3", "debug"}


def admits_only(rule, components):
    """Whether a NetworkPolicy ingress rule names its peers, each a pod selector of one of `components`."""
    peers = rule.get("from")
    return bool(peers) and all(set(peer) == {"podSelector"} and
                               peer["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") in components
                               for peer in peers)


def least_privilege_invariants(docs, values):
    """Issue 18's deploy guarantees on the rendered chart: every URL with a password or API key comes
    from the Secret, each tier from its own key; the coordinator has the nodes and egress to them;
    geth serves only the fleet's namespaces, to the fleet's pods, for its Service's names; workers,
    loaders and geth have PodDisruptionBudgets; no pod points every AWS service at AWS_ENDPOINT_URL;
    the database clients get the fleet's security group before the migration Job starts."""
    problems = []
    secrets = values["secrets"]
    fullname = RELEASE if "blockfleet" in RELEASE else f"{RELEASE}-blockfleet"
    geth_on = values["geth"]["enabled"]
    geth_url = f"http://{fullname}-geth.{NAMESPACE}.svc:{values['geth']['service']['port']}"

    def labelled(doc, component):
        return (doc["spec"].get("selector", {}).get("matchLabels", {}) or {}).get("app.kubernetes.io/component") == component

    workloads = [d for _, d in docs if d["kind"] in ("Deployment", "StatefulSet", "Job")]
    envs = {}
    for doc in workloads:
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        for c in containers(doc)[1]:
            env = {e["name"]: e for e in c.get("env", [])}
            envs[doc["metadata"]["name"].removeprefix(fullname + "-")] = env
            for e in c.get("env", []):
                where = f"{name}: {c['name']}: {e['name']}"
                if e["name"] in SECRET_ENV and "value" in e and not (e["name"] == "BLOCKFLEET_RPC_URLS" and geth_on and e["value"] == geth_url):
                    problems.append(f"{where}: plain value {e['value']!r}; it must come from the Secret (secretKeyRef)")
                if "value" in e and re.search(r"://[^/@\s:]+:[^/@\s]+@", str(e["value"])):
                    problems.append(f"{where}: a URL with a password as a plain value")
                if e["name"] == "AWS_ENDPOINT_URL":
                    problems.append(f"{where}: AWS_ENDPOINT_URL sends STS (the IRSA token) to that endpoint too; use AWS_ENDPOINT_URL_S3")

    def key_of(component, variable):
        ref = (envs.get(component, {}).get(variable, {}).get("valueFrom") or {}).get("secretKeyRef") or {}
        return ref.get("key")

    expected = [("coordinator", "BLOCKFLEET_DATABASE_URL", secrets["databaseUrlKey"])]
    if values["migration"]["enabled"]:
        expected.append(("migrate", "BLOCKFLEET_DATABASE_URL", secrets["migrationDatabaseUrlKey"]))
    for pool in ("worker", "loader"):
        if not values[pool]["enabled"]:
            continue
        kinds = values[pool]["kinds"].split(",")
        expected.append((pool, "BLOCKFLEET_DATABASE_URL", secrets["databaseUrlKey"]))
        if "load" in kinds or "model" in kinds:
            expected.append((pool, "BLOCKFLEET_WAREHOUSE_URL", secrets["warehouseUrlKey"]))
        elif "BLOCKFLEET_WAREHOUSE_URL" in envs.get(pool, {}):
            problems.append(f"{pool}: runs no load or model jobs but gets the warehouse login")
        if "model" in kinds:
            expected.append((pool, "BLOCKFLEET_MODEL_WAREHOUSE_URL", secrets["modelWarehouseUrlKey"]))
        elif "BLOCKFLEET_MODEL_WAREHOUSE_URL" in envs.get(pool, {}):
            problems.append(f"{pool}: runs no model jobs but gets the model login")
        if "export" not in kinds and "BLOCKFLEET_RPC_URLS" in envs.get(pool, {}):
            problems.append(f"{pool}: runs no export jobs but gets the node URLs")
    # PgBouncer (transaction pooling): statements through it, LISTEN and the leader lock direct.
    pgbouncer_on = values["pgbouncer"]["enabled"]
    queue_clients = ["coordinator"] + [pool for pool in ("worker", "loader") if values[pool]["enabled"]]
    for component in queue_clients:
        if pgbouncer_on:
            expected.append((component, "BLOCKFLEET_DATABASE_DIRECT_URL", secrets["databaseDirectUrlKey"]))
        elif "BLOCKFLEET_DATABASE_DIRECT_URL" in envs.get(component, {}):
            problems.append(f"{component}: BLOCKFLEET_DATABASE_DIRECT_URL without pgbouncer.enabled")
    if pgbouncer_on:
        problems += pgbouncer_invariants(docs, values, fullname, queue_clients, labelled)
    for component, variable, key in expected:
        if key_of(component, variable) != key:
            problems.append(f"{component}: {variable} must come from the Secret's {key!r} key, not {key_of(component, variable)!r}")
    for auth in (d for _, d in docs if d["kind"] == "TriggerAuthentication"):
        keys = [t.get("key") for t in auth["spec"].get("secretTargetRef", [])]
        if keys != [secrets["readonlyDatabaseUrlKey"]]:
            problems.append(f"TriggerAuthentication/{auth['metadata']['name']}: KEDA must log in read-only ({secrets['readonlyDatabaseUrlKey']!r}), not {keys}")

    # The coordinator: the nodes, and a way to them.
    rpc = envs.get("coordinator", {}).get("BLOCKFLEET_RPC_URLS")
    if not rpc:
        problems.append("coordinator: no BLOCKFLEET_RPC_URLS, so follow mode has no node")
    elif not geth_on and key_of("coordinator", "BLOCKFLEET_RPC_URLS") != secrets["rpcUrlsKey"]:
        problems.append(f"coordinator: BLOCKFLEET_RPC_URLS must come from the Secret's {secrets['rpcUrlsKey']!r} key")
    policies = {d["metadata"]["name"].removeprefix(fullname + "-"): d for _, d in docs if d["kind"] == "NetworkPolicy"}
    if values["networkPolicy"]["enabled"]:
        rpc_ports = set(values["networkPolicy"].get("rpcPorts") or [])
        for component in ("coordinator",) + (("worker",) if values["worker"]["enabled"] else ()):
            egress = (policies.get(component) or {}).get("spec", {}).get("egress", [])
            to_geth = any(any(labelled({"spec": {"selector": {"matchLabels": peer.get("podSelector", {}).get("matchLabels", {})}}}, "geth")
                              for peer in rule.get("to", []))
                          and values["geth"]["service"]["port"] in [p.get("port") for p in rule.get("ports", [])]
                          for rule in egress) if geth_on else False
            to_nodes = any(any("ipBlock" in peer for peer in rule.get("to", []))
                           and rpc_ports and rpc_ports <= {p.get("port") for p in rule.get("ports", [])}
                           for rule in egress)
            if not (to_geth or to_nodes):
                problems.append(f"{component}: its NetworkPolicy has no egress to the nodes (geth pods or networkPolicy.rpcCidrs on rpcPorts)")

    # geth: what it serves, for which names, to whom.
    if geth_on:
        for doc in (d for _, d in docs if d["kind"] == "StatefulSet" and labelled(d, "geth")):
            args = containers(doc)[1][0].get("args", [])
            flag = lambda name: [a.split("=", 1)[1] for a in args if a.startswith(f"--{name}=")]
            apis = set(",".join(flag("http.api")).split(",")) - {""}
            if apis - GETH_HTTP_API:
                problems.append(f"geth: --http.api serves {sorted(apis - GETH_HTTP_API)}, beyond what the fleet calls ({sorted(GETH_HTTP_API)})")
            vhosts = ",".join(flag("http.vhosts"))
            if not vhosts or "*" in vhosts:
                problems.append(f"geth: --http.vhosts must name the Service, not {vhosts or 'nothing (geth defaults to localhost)'!r}")
            if any(a.startswith(("--ws", "--graphql")) for a in args):
                problems.append("geth: WebSocket or GraphQL served beside HTTP")
        policy = policies.get("geth")
        if values["networkPolicy"]["enabled"]:
            rules = [r for r in (policy or {}).get("spec", {}).get("ingress", []) if "rpc" in [p.get("port") for p in r.get("ports", [])]]
            allowed = {"worker", "coordinator"}
            for rule in rules:
                if not admits_only(rule, allowed):
                    problems.append(f"geth: JSON-RPC ingress must come from the workers' and the coordinator's pods only, not {rule.get('from')}")
            if not rules:
                problems.append("geth: no NetworkPolicy rule for its JSON-RPC port")

    # Liveness is /healthz (which reports a wedged leader loop), readiness /readyz (the database).
    for component in ["coordinator"] + [c for c in ("worker", "loader") if values[c]["enabled"]]:
        workload = next((d for d in workloads if d["kind"] == "Deployment" and labelled(d, component)), None)
        c = containers(workload)[1][0] if workload else {}
        if (c.get("livenessProbe") or {}).get("httpGet", {}).get("path") != "/healthz" \
                or (c.get("readinessProbe") or {}).get("httpGet", {}).get("path") != "/readyz":
            problems.append(f"{component}: the liveness probe must GET /healthz and the readiness probe /readyz")

    # Voluntary disruptions: one pod at a time, never none.
    pdbs = [d for _, d in docs if d["kind"] == "PodDisruptionBudget"]
    wanted = [c for c in ("worker", "loader") if values[c]["enabled"]] + (["geth"] if geth_on else []) + (["pgbouncer"] if pgbouncer_on else [])
    for component in wanted:
        mine = [p for p in pdbs if labelled(p, component)]
        if not mine:
            problems.append(f"{component}: no PodDisruptionBudget")
        elif mine[0]["spec"].get("maxUnavailable") in (0, "0", "0%"):
            problems.append(f"{component}: PodDisruptionBudget allows no eviction, so node drains hang")

    # Security groups for pods: the database clients, before the first of them starts.
    if values["podSecurityGroups"]["enabled"]:
        policies = [d for _, d in docs if d["kind"] == "SecurityGroupPolicy"]
        if len(policies) != 1:
            problems.append(f"podSecurityGroups: {len(policies)} SecurityGroupPolicies, expected 1")
        else:
            spec = policies[0]["spec"]
            selected = next((set(e["values"]) for e in spec["podSelector"].get("matchExpressions", []) if e["key"] == "app.kubernetes.io/component"), set())
            if selected != {"coordinator", "worker", "loader", "migrate"} | ({"pgbouncer"} if pgbouncer_on else set()):
                problems.append(f"podSecurityGroups: the SecurityGroupPolicy selects {sorted(selected)}, not exactly the database clients")
            if spec["securityGroups"]["groupIds"] != values["podSecurityGroups"]["groupIds"]:
                problems.append("podSecurityGroups: the SecurityGroupPolicy does not carry podSecurityGroups.groupIds")
            hook = policies[0]["metadata"].get("annotations", {})
            job = [d for d in workloads if d["kind"] == "Job"]
            if "pre-install" not in hook.get("helm.sh/hook", "") or (job and int(hook.get("helm.sh/hook-weight", "0")) >= int(job[0]["metadata"]["annotations"].get("helm.sh/hook-weight", "0"))):
                problems.append("podSecurityGroups: the SecurityGroupPolicy must be a hook created before the migration Job")
    return problems


def pgbouncer_invariants(docs, values, fullname, queue_clients, labelled):
    """The chart's PgBouncer: transaction pooling that ignores search_path (docs/scale.md §6.3), TLS
    to the database, the userlist from the Secret, and reachable from the queue clients only."""
    problems = []
    ini = next((d.get("data", {}).get("pgbouncer.ini", "") for _, d in docs
                if d["kind"] == "ConfigMap" and d["metadata"]["name"] == f"{fullname}-pgbouncer"), None)
    if ini is None:
        return ["pgbouncer: no ConfigMap with pgbouncer.ini"]
    settings = dict((k.strip(), v.strip()) for k, v in (line.split("=", 1) for line in ini.splitlines()
                                                        if "=" in line and not line.lstrip().startswith(";")))
    if settings.get("pool_mode") != "transaction":
        problems.append(f"pgbouncer: pool_mode must be transaction, not {settings.get('pool_mode')!r}")
    if "search_path" not in settings.get("ignore_startup_parameters", ""):
        problems.append("pgbouncer: ignore_startup_parameters must name search_path (postgres-nio sends it with ?schema=)")
    if settings.get("server_tls_sslmode") not in ("verify-full", "verify-ca", "require"):
        problems.append(f"pgbouncer: server_tls_sslmode {settings.get('server_tls_sslmode')!r} sends the queue role's password in plain text")
    deployment = next((d for _, d in docs if d["kind"] == "Deployment" and labelled(d, "pgbouncer")), None)
    if deployment is None:
        return problems + ["pgbouncer: no Deployment"]
    if deployment["spec"].get("replicas", 1) < 2:
        problems.append("pgbouncer: one replica is a single point of failure for every claim")
    auth = [v for v in containers(deployment)[0].get("volumes", []) if "secret" in v and v["name"] == "auth"]
    if not auth or [i["key"] for i in auth[0]["secret"].get("items", [])] != [values["secrets"]["pgbouncerUserlistKey"]]:
        problems.append(f"pgbouncer: its auth_file must come from the Secret's {values['secrets']['pgbouncerUserlistKey']!r} key only")
    if values["networkPolicy"]["enabled"]:
        policies = {d["metadata"]["name"].removeprefix(fullname + "-"): d for _, d in docs if d["kind"] == "NetworkPolicy"}
        ingress = (policies.get("pgbouncer") or {}).get("spec", {}).get("ingress")
        allowed = set(queue_clients)
        if not ingress:
            problems.append("pgbouncer: no NetworkPolicy ingress rule")
        for rule in ingress or []:
            if not admits_only(rule, allowed):
                problems.append(f"pgbouncer: ingress must come from the queue clients' pods only, not {rule.get('from')}")
        for component in queue_clients:
            egress = (policies.get(component) or {}).get("spec", {}).get("egress", [])
            if not any(labelled({"spec": {"selector": {"matchLabels": peer.get("podSelector", {}).get("matchLabels", {})}}}, "pgbouncer")
                       for rule in egress for peer in rule.get("to", [])):
                problems.append(f"{component}: its NetworkPolicy has no egress to PgBouncer")
    return problems


# Grafana variables whose value a viewer (or a crafted ?var-x= link) can set to any text.
SQL_KEYS = {"rawSql", "rawSQL", "rawQuery"}
VARIABLE_REF = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")


def free_text_variables(dashboard):
    """Variables of a dashboard whose value is not one of a fixed list: textbox and ad hoc ones,
    query or custom ones without a query, and query or custom ones that take a custom value (Grafana
    11 lets the picker or the URL set any value unless allowCustomValue is false)."""
    free = {}
    for variable in (dashboard.get("templating") or {}).get("list", []):
        kind, name = variable.get("type"), variable.get("name")
        if kind in ("textbox", "adhoc"):
            free[name] = f"a {kind} variable"
        elif kind in ("query", "custom"):
            query = variable.get("query")
            if isinstance(query, dict):
                query = query.get("query") or query.get("rawSql") or ""
            if not str(query or "").strip():
                free[name] = f"a {kind} variable without a query"
            elif variable.get("allowCustomValue") is not False:
                free[name] = f"a {kind} variable that takes custom values (allowCustomValue is not false)"
    return free


def sql_texts(node, path=""):
    """Every SQL string in a dashboard (panel targets, nested rows, annotations, variable queries)."""
    if path == "" and isinstance(node, dict):
        # A query variable's own SQL: another variable pasted into it reaches the database too.
        for variable in (node.get("templating") or {}).get("list", []):
            query = variable.get("query")
            if variable.get("type") == "query" and isinstance(query, str):
                yield f".templating[{variable.get('name')}].query", query
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SQL_KEYS and isinstance(value, str):
                yield f"{path}.{key}", value
            else:
                yield from sql_texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("title") if isinstance(value, dict) and value.get("title") else index
            yield from sql_texts(value, f"{path}[{label}]")


def dashboard_sql_problems(paths):
    problems = []
    for path in paths:
        dashboard = json.loads(Path(path).read_text())
        free = free_text_variables(dashboard)
        for where, sql in sql_texts(dashboard):
            for match in VARIABLE_REF.finditer(sql):
                name = next(g for g in match.groups() if g)
                if name in free:
                    problems.append(f"{Path(path).name}: {where} pastes ${name}, {free[name]}, into SQL")
    return problems


# ---------------------------------------------------------------------------------------------
# The chart's pgbouncer.ini in a real PgBouncer in front of a throwaway PostgreSQL.

PGBOUNCER = Path("/usr/sbin/pgbouncer")


def pgbouncer_probe(ini):
    """Runs Debian's PgBouncer with the chart's rendered pgbouncer.ini (only addresses and file paths
    replaced) in front of a throwaway PostgreSQL with TLS, and logs in through it as a queue role
    would: SCRAM with the userlist's password, TLS from the client and to the server (verify-full
    against the cluster's CA), the role's own search_path (PgBouncer drops the one postgres-nio
    sends), and transaction pooling (two transactions of one client may run on two backends)."""
    if not PGBOUNCER.exists():
        raise CheckFailed(f"{PGBOUNCER} is missing (scripts/debian-packages deploy installs it)")
    port, folder = free_port(), tempfile.mkdtemp(prefix="blockfleet-pgbouncer-")
    env = {**os.environ, "BLOCKFLEET_PG_PORT": str(port), "BLOCKFLEET_PG_DIR": folder + "/pg"}
    postgres = lambda *args: subprocess.run([str(ROOT / "scripts" / "postgres"), *args], capture_output=True, text=True, env=env, timeout=600)
    as_postgres = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] if os.getuid() == 0 else []
    bouncer = None
    os.chmod(folder, 0o755)
    try:
        started = postgres("start")
        if started.returncode:
            raise CheckFailed(f"scripts/postgres start failed: {started.stderr[-1000:]}")
        tls = Path(postgres("tls-dir").stdout.strip())
        admin = f"postgres://postgres@127.0.0.1:{port}/blockfleet?sslmode=disable"
        done = psql(admin, "CREATE ROLE pooled_queue LOGIN PASSWORD 'pooled-pw'; CREATE SCHEMA fleet1 AUTHORIZATION pooled_queue; "
                           "ALTER ROLE pooled_queue IN DATABASE blockfleet SET search_path = fleet1")
        if done.returncode:
            raise CheckFailed(f"setup failed: {done.stderr.strip()[-500:]}")
        work = Path(folder) / "bouncer"
        work.mkdir()
        for name in ("server.crt", "server.key"):
            shutil.copy(tls / name, work / name)
        (work / "userlist.txt").write_text('"pooled_queue" "pooled-pw"\n')
        bouncer_port = free_port()
        replaced = {"listen_addr": "127.0.0.1", "listen_port": str(bouncer_port), "auth_file": str(work / "userlist.txt"),
                    "server_tls_ca_file": str(tls / "ca.crt"), "client_tls_cert_file": str(work / "server.crt"),
                    "client_tls_key_file": str(work / "server.key")}
        lines = []
        for line in ini.splitlines():
            key = line.split("=", 1)[0].strip()
            if key in replaced:
                line = f"{key} = {replaced[key]}"
            elif "host=" in line and "dbname=" in line:
                line = re.sub(r"host=\S+ port=\d+", f"host=localhost port={port}", line)
            lines.append(line)
        if not any(line.startswith("client_tls_sslmode = require") for line in lines):
            raise CheckFailed("the probed values file must turn on client TLS (pgbouncer.clientTlsSecret)")
        (work / "pgbouncer.ini").write_text("\n".join(lines) + "\n")
        subprocess.run(["chown", "-R", "postgres", str(work)] if as_postgres else ["true"], check=True)
        os.chmod(work / "server.key", 0o600)
        log = open(work / "pgbouncer.log", "w")
        bouncer = subprocess.Popen(as_postgres + [str(PGBOUNCER), str(work / "pgbouncer.ini")], stdout=log, stderr=subprocess.STDOUT)
        pooled = f"postgres://pooled_queue@localhost:{bouncer_port}/blockfleet?sslmode=require"
        sql = ("SELECT current_setting('search_path') || ' ' || (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())::text; "
               "CREATE TABLE IF NOT EXISTS pooled_probe (a int); SELECT pg_backend_pid()")
        for attempt in range(50):
            done = psql(pooled, sql, env={"PGPASSWORD": "pooled-pw"})
            if done.returncode == 0 or bouncer.poll() is not None:
                break
            time.sleep(0.1)
        if done.returncode:
            raise CheckFailed(f"no login through PgBouncer: {done.stderr.strip()[-400:]} / {(work / 'pgbouncer.log').read_text()[-600:]}")
        first = done.stdout.split()
        if first[:2] != ["fleet1", "true"]:
            raise CheckFailed(f"through PgBouncer: search_path and server TLS {first[:2]}, expected the role's fleet1 and TLS")
        tables = psql(admin, "SELECT schemaname FROM pg_tables WHERE tablename = 'pooled_probe'")
        if tables.stdout.strip() != "fleet1":
            raise CheckFailed(f"the probe table landed in {tables.stdout.strip()!r}, not the role's schema")
        return f"PgBouncer {subprocess.run([str(PGBOUNCER), '--version'], capture_output=True, text=True).stdout.split()[1]}: SCRAM login, TLS both ways, the role's search_path"
    finally:
        if bouncer is not None:
            bouncer.terminate()
            try:
                bouncer.wait(timeout=10)
            except subprocess.TimeoutExpired:
                bouncer.kill()
        postgres("stop")
        subprocess.run(["rm", "-rf", folder])


# ---------------------------------------------------------------------------------------------
# roles.sql on a real PostgreSQL: each tier's login does its work and nothing of another tier's.

PGBIN = Path("/usr/lib/postgresql/15/bin")


def queue_schema_sql():
    """The queue's migrations as SQL: every statement of SchemaMigration.all, a Swift string literal each."""
    source = (ROOT / "Sources" / "Shared" / "Queue" / "SchemaMigration.swift").read_text()
    source = "\n".join(line for line in source.splitlines() if not line.strip().startswith("//"))
    statements = []
    for block in re.finditer(r"statements: \[\n(.*?)\n    \]\)", source, re.S):
        for literal in re.finditer(r'"""\n(.*?)\n\s*"""|"((?:[^"\\\n]|\\.)*)"', block.group(1), re.S):
            statements.append((literal.group(1) if literal.group(1) is not None else literal.group(2)).strip() + ";")
    if len(statements) < 5 or not statements[0].startswith("CREATE TABLE jobs"):
        raise CheckFailed(f"could not read the queue's migrations from SchemaMigration.swift ({len(statements)} statements)")
    return "\n".join(statements)


# (login, SQL, whether it must succeed): the tiers' work, and what each must not do.
ROLE_PROBES = [
    ("blockfleet_queue_login", "INSERT INTO jobs (kind, first_block, last_block) VALUES ('export', 0, 9)", True),
    ("blockfleet_queue_login", "UPDATE jobs SET state = 'running', lease_owner = 'w', lease_expires_at = now() WHERE id = 1", True),
    ("blockfleet_queue_login", "SELECT count(*) FROM queue_depth", True),
    ("blockfleet_queue_login", "CREATE TABLE queue_writes_ddl (a int)", False),
    ("blockfleet_queue_login", "SELECT count(*) FROM ethereum.blocks", False),
    ("blockfleet_loader_login", "INSERT INTO ethereum.blocks VALUES (1, 'a')", True),
    ("blockfleet_loader_login", "CREATE INDEX IF NOT EXISTS blocks_number ON ethereum.blocks (number)", True),
    ("blockfleet_loader_login", "DELETE FROM ethereum.blockfleet_model_runs WHERE last_block >= 0", True),
    ("blockfleet_loader_login", "SELECT count(*) FROM public.jobs", False),
    ("blockfleet_model_login", "CREATE SCHEMA IF NOT EXISTS ethereum", True),
    ("blockfleet_model_login", "SELECT count(*) FROM ethereum.blocks", True),
    ("blockfleet_model_login", "CREATE TABLE IF NOT EXISTS ethereum.daily_probe AS SELECT count(*) AS n FROM ethereum.blocks", True),
    ("blockfleet_model_login", "INSERT INTO ethereum.blockfleet_model_runs VALUES ('m', 0, 9, 'f')", True),
    ("blockfleet_model_login", "SELECT count(*) FROM public.jobs", False),
    ("blockfleet_model_login", "UPDATE public.jobs SET state = 'dead'", False),
    ("blockfleet_model_login", "DELETE FROM ethereum.blocks", False),
    ("grafana_reader", "SELECT count(*) FROM queue_depth", True),
    ("grafana_reader", "SELECT count(*) FROM ethereum.daily_probe", True),
    ("grafana_reader", "DELETE FROM jobs", False),
    ("grafana_reader", "INSERT INTO ethereum.blocks VALUES (2, 'b')", False),
]


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(url, sql=None, file=None, env=None):
    command = [str(PGBIN / "psql") if (PGBIN / "psql").exists() else "psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    command += ["-f", str(file)] if file else ["-c", sql]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", **(env or {})})


def roles_probe(broken_sql=None):
    """Starts a throwaway PostgreSQL, migrates the queue as a non-superuser owner (as the RDS master
    is), applies roles.sql, prepares the warehouse as the loader does, applies roles.sql again (the
    model runs table now exists), then runs ROLE_PROBES; returns the probes whose outcome was wrong."""
    port, folder = free_port(), tempfile.mkdtemp(prefix="blockfleet-roles-")
    env = {**os.environ, "BLOCKFLEET_PG_PORT": str(port), "BLOCKFLEET_PG_DIR": folder}
    started = subprocess.run([str(ROOT / "scripts" / "postgres"), "start"], capture_output=True, text=True, env=env, timeout=600)
    url = lambda user, db="rolestest": f"postgres://{user}@127.0.0.1:{port}/{db}?sslmode=disable"
    try:
        if started.returncode:
            raise CheckFailed(f"scripts/postgres start failed: {started.stderr[-1000:]}")
        passwords = {"BLOCKFLEET_QUEUE_PASSWORD": "queue-pw", "BLOCKFLEET_LOADER_PASSWORD": "loader-pw",
                     "BLOCKFLEET_MODEL_PASSWORD": "model-pw", "BLOCKFLEET_READER_PASSWORD": "reader-pw"}
        roles = TERRAFORM / "modules" / "rds" / "roles.sql"
        steps = [
            (url("postgres", "postgres"), "CREATE ROLE rds_master LOGIN CREATEROLE", None, {}),
            (url("postgres", "postgres"), "CREATE DATABASE rolestest OWNER rds_master", None, {}),
            (url("postgres"), "ALTER SCHEMA public OWNER TO rds_master", None, {}),
            (url("rds_master"), queue_schema_sql(), None, {}),
            (url("rds_master"), None, roles, {}),
            (url("blockfleet_loader_login"), "CREATE SCHEMA IF NOT EXISTS ethereum; CREATE TABLE IF NOT EXISTS ethereum.blocks (number bigint, hash text); "
             "CREATE TABLE IF NOT EXISTS ethereum.blockfleet_model_runs (model text, first_block bigint, last_block bigint, fingerprint text)", None, {}),
            (url("rds_master"), None, roles, passwords),
        ]
        without_passwords = None
        for index, (target, sql, file, extra) in enumerate(steps):
            done = psql(target, sql, file, {**extra} if file is None else {**passwords, **extra})
            if done.returncode:
                raise CheckFailed(f"setup step {index + 1} failed: {done.stderr.strip()[-800:]}")
            if index == 4:
                without_passwords = psql(target, None, roles, {})
        if without_passwords.returncode == 0 or "BLOCKFLEET_QUEUE_PASSWORD is not set" not in without_passwords.stderr:
            raise CheckFailed(f"roles.sql ran without the passwords in the environment: {without_passwords.stderr[-300:]}")
        hashed = psql(url("postgres"), "SELECT count(*) FROM pg_authid WHERE rolname IN ('blockfleet_queue_login', 'blockfleet_loader_login', "
                      "'blockfleet_model_login', 'grafana_reader') AND rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256$%'")
        if hashed.stdout.strip() != "4":
            raise CheckFailed(f"not every login has a password: {hashed.stdout.strip()} of 4 ({hashed.stderr.strip()})")
        if broken_sql:
            done = psql(url("postgres"), None, broken_sql)
            if done.returncode:
                raise CheckFailed(f"{broken_sql.name} failed to apply: {done.stderr.strip()[-500:]}")
        wrong = []
        for login, sql, allowed in ROLE_PROBES:
            done = psql(url(login), sql)
            if (done.returncode == 0) != allowed:
                wrong.append(f"{login}: {sql!r} " + ("was refused: " + done.stderr.strip().splitlines()[-1] if allowed else "succeeded"))
        return wrong
    finally:
        subprocess.run([str(ROOT / "scripts" / "postgres"), "stop"], capture_output=True, env=env, timeout=120)
        subprocess.run(["rm", "-rf", folder])


# ---------------------------------------------------------------------------------------------


class Runner:
    def __init__(self):
        self.passed, self.failed = 0, 0

    def check(self, name, function):
        try:
            detail = function()
            self.passed += 1
            print(f"ok    {name}" + (f" — {detail}" if detail else ""), flush=True)
        except Exception as error:  # a broken check is a failed check, with its reason
            self.failed += 1
            message = str(error) if isinstance(error, CheckFailed) else traceback.format_exc()
            print(f"FAIL  {name}\n      " + message.replace("\n", "\n      "), flush=True)


def expect_none(problems, what):
    if problems:
        raise CheckFailed(f"{len(problems)} {what}:\n" + "\n".join(problems))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkov", required=True, help="checkov executable (its own venv)")
    args = parser.parse_args()
    run = Runner()
    OUT.mkdir(parents=True, exist_ok=True)

    # The chart, once per values file in ci/.
    cases = sorted((CHART / "ci").glob("*.yaml"))
    if not cases:
        raise SystemExit("no values files in helm/blockfleet/ci/")
    rendered_dirs = []
    for case in cases:
        values = yaml.safe_load(case.read_text()) or {}
        label = case.stem
        state = {}

        def do_render(values=values, state=state, label=label):
            state["docs"] = render(values)
            write_manifests(state["docs"], OUT / "rendered" / label)
            rendered_dirs.append(OUT / "rendered" / label)
            return f"{len(state['docs'])} manifests in .local/deploy-check/rendered/{label}/"

        run.check(f"chart renders with ci/{case.name}", do_render)
        if "docs" not in state:
            continue
        run.check(f"helm lint --strict with ci/{case.name}", lambda values=values: expect_none(lint(values), "lint findings"))

        def do_validate(state=state):
            problems, skipped = validate(state["docs"])
            expect_none(problems, f"manifests fail Kubernetes {KUBE_VERSION} schemas")
            return f"Kubernetes {KUBE_VERSION} strict" + (f"; CRDs not schema-checked: {', '.join(skipped)}" if skipped else "")

        run.check(f"manifests valid with ci/{case.name}", do_validate)
        run.check(f"chart invariants with ci/{case.name}",
                  lambda state=state, values=values: expect_none(chart_invariants(state["docs"], values), "problems"))

    def dashboards_render():
        with tempfile.TemporaryDirectory() as tmp:
            chart = Path(tmp) / "blockfleet"
            shutil.copytree(CHART, chart)
            (chart / "dashboards").mkdir(exist_ok=True)
            (chart / "dashboards" / "Check_Dashboard.json").write_text('{"title": "check", "panels": []}\n')
            docs = render(minimal_values(), chart)
            maps = [d for _, d in docs if d["kind"] == "ConfigMap"
                    and d["metadata"]["labels"].get("grafana_dashboard") == "1"
                    and "Check_Dashboard.json" in d.get("data", {})]
            if len(maps) != 1 or json.loads(maps[0]["data"]["Check_Dashboard.json"])["title"] != "check":
                raise CheckFailed("a dashboards/*.json file did not become a grafana_dashboard ConfigMap")
            expect_none(validate(docs)[0], "invalid manifests")
            return maps[0]["metadata"]["name"]

    run.check("a dashboard JSON file becomes a labelled ConfigMap", dashboards_render)

    def dashboards_bind_no_free_text():
        paths = sorted((CHART / "dashboards").glob("*.json"))
        expect_none(dashboard_sql_problems(paths), "free-text variables pasted into SQL")
        return f"{len(paths)} dashboards"

    run.check("no dashboard pastes a free-text variable into SQL", dashboards_bind_no_free_text)

    def https_egress_has_no_default():
        default = yaml.safe_load((CHART / "values.yaml").read_text())["networkPolicy"]["httpsCidrs"]
        if default:
            raise CheckFailed(f"values.yaml: networkPolicy.httpsCidrs defaults to {default}; it must be empty (set by the user)")
        notes = helm_python.Chart.load(str(CHART)).render(yaml.safe_load((CHART / "ci" / "default-values.yaml").read_text()),
                                                        name=RELEASE, namespace=NAMESPACE, is_install=True).get("blockfleet/templates/NOTES.txt", "")
        if "networkPolicy.httpsCidrs" not in notes:
            raise CheckFailed("NOTES.txt does not tell where S3/STS egress goes")
        return "empty by default; NOTES names it"

    run.check("values.yaml: httpsCidrs has no default (never 0.0.0.0/0 unasked)", https_egress_has_no_default)

    def scan_chart():
        failed, unjustified, passed, skipped = 0, [], 0, 0
        problems = []
        for folder in rendered_dirs:
            f, u, p, s = checkov(args.checkov, folder, "kubernetes")
            problems += [f"{folder.name}: {x}" for x in f]
            unjustified += [f"{folder.name}: {x}" for x in u]
            passed, skipped = passed + p, skipped + s
        expect_none(problems + unjustified, "failed or unjustified checkov checks on the rendered chart")
        if passed == 0:
            raise CheckFailed("checkov ran no check on the rendered chart")
        return f"{passed} passed, {skipped} skipped with a reason"

    run.check("checkov on the rendered chart", scan_chart)

    def scan_terraform():
        failed, unjustified, passed, skipped = checkov(args.checkov, TERRAFORM, "terraform")
        expect_none(failed + unjustified, "failed or unjustified checkov checks on terraform/")
        if passed == 0:
            raise CheckFailed("checkov ran no check on terraform/")
        return f"{passed} passed, {skipped} skipped with a reason"

    run.check("checkov on terraform/", scan_terraform)

    def chart_values_wired():
        example = yaml_key_paths(yaml.safe_load((CHART / "ci" / "terraform-values.yaml").read_text()))
        output = chart_values_output_keys()
        if output != example:
            raise CheckFailed(f"chart_values output and ci/terraform-values.yaml differ: only in the output {sorted(output - example)}, only in the file {sorted(example - output)}")
        broken = hcl_object_key_paths('${yamlencode({config = {stagingUrl = module.s3.x, awsRegon = var.region}})}')
        if broken != {"config", "config.stagingUrl", "config.awsRegon"}:
            raise CheckFailed(f"the HCL key reader is broken: {broken}")
        return f"{len(output)} keys, rendered above as ci/terraform-values.yaml"

    run.check("Terraform's chart_values output matches ci/terraform-values.yaml", chart_values_wired)

    def scan_dockerfile():
        failed, unjustified, passed, skipped = checkov(args.checkov, ROOT, "dockerfile", file="Dockerfile")
        expect_none(failed + unjustified, "failed or unjustified checkov checks on the Dockerfile")
        if passed == 0:
            raise CheckFailed("checkov ran no check on the Dockerfile")
        return f"{passed} passed, {skipped} skipped with a reason"

    run.check("checkov on the Dockerfile", scan_dockerfile)

    tf_files = sorted(TERRAFORM.rglob("*.tf"))

    def do_parse():
        if not tf_files:
            raise CheckFailed("no .tf files under terraform/")
        expect_none(parse_terraform(tf_files), ".tf files do not parse")
        return f"{len(tf_files)} files"

    run.check("every .tf file parses (python-hcl2)", do_parse)
    run.check("Terraform wiring: module inputs, references, descriptions",
              lambda: expect_none(terraform_wiring(TERRAFORM), "wiring problems"))
    run.check("Terraform least privilege: kms:ViaService, Redshift's aws:SourceAccount, databases admit the fleet's pods only",
              lambda: expect_none(terraform_least_privilege(TERRAFORM), "problems"))
    run.check("database URLs verify the server (verify-full) against CA bundles the image ships",
              lambda: expect_none(database_tls(TERRAFORM, (ROOT / "Dockerfile").read_text()), "problems"))

    def roles_hold():
        expect_none(roles_probe(), "role probes with the wrong outcome")
        return f"{len(ROLE_PROBES)} probes as queue, loader, model and read-only logins on PostgreSQL 15"

    run.check("roles.sql on a real PostgreSQL: each login does its tier's work and nothing of another's", roles_hold)

    def pgbouncer_runs():
        values = yaml.safe_load((CHART / "ci" / "pgbouncer-values.yaml").read_text())
        ini = next(d["data"]["pgbouncer.ini"] for _, d in render(values)
                   if d["kind"] == "ConfigMap" and d["metadata"]["name"].endswith("-pgbouncer"))
        return pgbouncer_probe(ini)

    run.check("the chart's pgbouncer.ini in a real PgBouncer before a throwaway PostgreSQL", pgbouncer_runs)

    def do_yamllint():
        paths = [ROOT / ".yamllint", CHART / "Chart.yaml", CHART / "values.yaml", CHART / "ci", OUT / "rendered"]
        expect_none(yamllint(paths), "yamllint findings")

    run.check("yamllint (chart values, ci values, rendered manifests)", do_yamllint)

    # Self-tests: each check must catch a deliberate mistake.
    def must_raise(function, what):
        try:
            function()
        except Exception as error:
            return f"refused: {str(error).splitlines()[-1][:120]}"
        raise CheckFailed(f"{what} was accepted")

    fixture_values = lambda name: yaml.safe_load((FIXTURES / name).read_text())
    run.check("self-test: values breaking the schema do not render",
              lambda: must_raise(lambda: render(fixture_values("broken-values.yaml")), "broken-values.yaml"))
    run.check("self-test: values missing a required setting do not render",
              lambda: must_raise(lambda: render(fixture_values("no-rpc-values.yaml")), "no-rpc-values.yaml"))
    for name, what in [("no-https-cidrs-values.yaml", "NetworkPolicies without networkPolicy.httpsCidrs"),
                       ("plain-rpc-values.yaml", "a node URL as a plain env value"),
                       ("aws-endpoint-values.yaml", "AWS_ENDPOINT_URL in the environment"),
                       ("geth-admin-api-values.yaml", "geth serving the admin namespace"),
                       ("geth-any-vhost-values.yaml", "geth answering any Host name")]:
        run.check(f"self-test: values with {what} do not render ({name})",
                  lambda name=name: must_raise(lambda: render(fixture_values(name)), name))

    def free_text_dashboard_refused():
        problems = dashboard_sql_problems([FIXTURES / "free-text-sql-dashboard.json"])
        wanted = ["$schema, a textbox variable", "$table, a custom variable that takes custom values", "$address, a query variable without a query",
                  ".templating[token].query pastes $schema"]
        missed = [w for w in wanted if not any(w in p for p in problems)]
        if missed or any("$fixed" in p for p in problems):
            raise CheckFailed(f"not caught: {missed}; found {problems}")
        return f"{len(problems)} problems found"

    run.check("self-test: a dashboard pasting free-text variables into SQL is refused", free_text_dashboard_refused)

    def broken_chart_caught():
        edits = yaml.safe_load((FIXTURES / "broken-chart.yaml").read_text())
        groups = {}
        for edit in edits:
            groups.setdefault(edit["values"], []).append(edit)
        missed, found = [], 0
        for values_file, group in groups.items():
            with tempfile.TemporaryDirectory() as tmp:
                chart = Path(tmp) / "blockfleet"
                shutil.copytree(CHART, chart)
                for edit in group:
                    template = chart / edit["file"]
                    text = template.read_text()
                    if edit["old"] not in text:
                        raise CheckFailed(f"broken-chart.yaml is stale: {edit['old']!r} is not in {edit['file']}")
                    template.write_text(text.replace(edit["old"], edit["new"]))
                values = yaml.safe_load((CHART / "ci" / values_file).read_text()) or {}
                problems = chart_invariants(render(values, chart), values)
            found += len(problems)
            missed += [f"{values_file}: {e['file']}: {e['expect']}" for e in group if not any(e["expect"] in p for p in problems)]
        if missed:
            raise CheckFailed("not caught:\n" + "\n".join(missed))
        return f"{len(edits)} regressions, {found} problems found"

    run.check("self-test: chart invariants catch each broken-chart.yaml regression (plain node URL, coordinator without nodes, open geth, no PDB, wrong logins)",
              broken_chart_caught)

    def invariants_catch_mistakes():
        docs = render(minimal_values())
        for _, doc in docs:
            if doc["kind"] == "Deployment" and doc["metadata"]["name"].endswith("-worker"):
                pod = doc["spec"]["template"]["spec"]
                pod["terminationGracePeriodSeconds"] = 5
                pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] = False
            if doc["kind"] == "Deployment" and doc["metadata"]["name"].endswith("-coordinator"):
                doc["spec"]["replicas"] = 1
        problems = chart_invariants(docs, minimal_values())
        wanted = ["terminationGracePeriodSeconds", "read-only root", "at least 2 replicas"]
        missed = [w for w in wanted if not any(w in p for p in problems)]
        if missed:
            raise CheckFailed(f"not caught: {missed}; found {problems}")
        return f"{len(problems)} problems found"

    run.check("self-test: chart invariants catch a short grace period, a writable root and one coordinator", invariants_catch_mistakes)

    def invalid_manifest_refused():
        docs = [("invalid-manifest.yaml", d) for d in yaml.safe_load_all((FIXTURES / "invalid-manifest.yaml").read_text()) if d]
        problems, _ = validate(docs)
        if len(problems) < len(docs):
            raise CheckFailed(f"only {len(problems)} problems found in {len(docs)} invalid manifests: {problems}")
        return f"{len(problems)} problems found"

    run.check("self-test: manifests breaking the Kubernetes schema are refused", invalid_manifest_refused)

    def checkov_catches_manifest():
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(FIXTURES / "unjustified-manifest.yaml", tmp)
            failed, unjustified, _, _ = checkov(args.checkov, Path(tmp), "kubernetes")
        if not failed or not unjustified:
            raise CheckFailed(f"checkov missed a failing check ({len(failed)}) or a skip without reason ({len(unjustified)})")
        return f"{len(failed)} failed, {len(unjustified)} unjustified"

    run.check("self-test: checkov failures and reasonless skips in manifests are caught", checkov_catches_manifest)

    def checkov_catches_terraform():
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(FIXTURES / "unjustified.tf.txt", Path(tmp) / "main.tf")
            failed, unjustified, _, _ = checkov(args.checkov, Path(tmp), "terraform")
        if not failed or not unjustified:
            raise CheckFailed(f"checkov missed a failing check ({len(failed)}) or a skip without reason ({len(unjustified)})")
        return f"{len(failed)} failed, {len(unjustified)} unjustified"

    run.check("self-test: checkov failures and reasonless skips in Terraform are caught", checkov_catches_terraform)
    def miswiring_caught():
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "terraform"
            shutil.copytree(TERRAFORM, copy)
            main = copy / "envs" / "example" / "main.tf"
            text = main.read_text()
            text = text.replace("staging_prefix = var.staging_prefix", "staging_prefx = var.staging_prefix", 1)
            text += '\noutput "broken" {\n  value = module.s3.no_such_output\n}\n'
            main.write_text(text)
            problems = terraform_wiring(copy)
        wanted = ["passes staging_prefx", "no_such_output is not an output", "output broken has no description"]
        missed = [w for w in wanted if not any(w in p for p in problems)]
        if missed:
            raise CheckFailed(f"not caught: {missed}; found {problems}")
        return f"{len(problems)} problems found"

    run.check("self-test: a miswired module call and a dangling output are caught", miswiring_caught)
    def broken_terraform_caught():
        edits = yaml.safe_load((FIXTURES / "broken-terraform.yaml").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "terraform"
            shutil.copytree(TERRAFORM, copy)
            for edit in edits:
                path = copy / edit["file"]
                text = path.read_text()
                if edit["old"] not in text:
                    raise CheckFailed(f"broken-terraform.yaml is stale: {edit['old']!r} is not in {edit['file']}")
                path.write_text(text.replace(edit["old"], edit["new"], 1))
            problems = terraform_least_privilege(copy) + database_tls(copy, (ROOT / "Dockerfile").read_text())
        missed = [e["expect"] for e in edits if not any(e["expect"] in p for p in problems)]
        if missed:
            raise CheckFailed(f"not caught: {missed}; found {problems}")
        return f"{len(edits)} regressions, {len(problems)} problems found"

    run.check("self-test: Terraform least privilege and TLS catch each broken-terraform.yaml regression", broken_terraform_caught)
    def broken_roles_caught():
        wrong = roles_probe(FIXTURES / "broken-roles.sql")
        wanted = [("blockfleet_model_login", "SELECT count(*) FROM public.jobs"), ("blockfleet_model_login", "UPDATE public.jobs"),
                  ("blockfleet_model_login", "DELETE FROM ethereum.blocks"), ("grafana_reader", "DELETE FROM jobs"),
                  ("blockfleet_queue_login", "CREATE TABLE queue_writes_ddl")]
        missed = [w for w in wanted if not any(x.startswith(w[0] + ": ") and w[1] in x and x.endswith("succeeded") for x in wrong)]
        if missed:
            raise CheckFailed(f"not caught: {missed}; found {wrong}")
        return f"{len(wrong)} wrong outcomes found"

    run.check("self-test: role probes catch each grant of broken-roles.sql", broken_roles_caught)
    run.check("self-test: a .tf file with a syntax error is refused",
              lambda: (expect_none([] if parse_terraform([FIXTURES / "broken.tf.txt"]) else ["accepted"], "broken.tf.txt")))
    run.check("self-test: yamllint flags bad YAML",
              lambda: expect_none([] if yamllint([FIXTURES / "bad-yaml.yaml.txt"]) else ["accepted"], "bad-yaml.yaml.txt"))

    print(f"check-deploy: {run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
