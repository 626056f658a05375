"""Offline checks of the deployment files; run through scripts/check-deploy, which installs the tools.

Every check has a self-test on a deliberately broken fixture (scripts/deploy-fixtures/), so a
check that silently stopped detecting anything fails CI too.
"""
import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
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
    return problems


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
            docs = render({}, chart)
            maps = [d for _, d in docs if d["kind"] == "ConfigMap"
                    and d["metadata"]["labels"].get("grafana_dashboard") == "1"
                    and "Check_Dashboard.json" in d.get("data", {})]
            if len(maps) != 1 or json.loads(maps[0]["data"]["Check_Dashboard.json"])["title"] != "check":
                raise CheckFailed("a dashboards/*.json file did not become a grafana_dashboard ConfigMap")
            expect_none(validate(docs)[0], "invalid manifests")
            return maps[0]["metadata"]["name"]

    run.check("a dashboard JSON file becomes a labelled ConfigMap", dashboards_render)

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

    def invariants_catch_mistakes():
        docs = render({})
        for _, doc in docs:
            if doc["kind"] == "Deployment" and doc["metadata"]["name"].endswith("-worker"):
                pod = doc["spec"]["template"]["spec"]
                pod["terminationGracePeriodSeconds"] = 5
                pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] = False
            if doc["kind"] == "Deployment" and doc["metadata"]["name"].endswith("-coordinator"):
                doc["spec"]["replicas"] = 1
        problems = chart_invariants(docs, {})
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
    run.check("self-test: a .tf file with a syntax error is refused",
              lambda: (expect_none([] if parse_terraform([FIXTURES / "broken.tf.txt"]) else ["accepted"], "broken.tf.txt")))
    run.check("self-test: yamllint flags bad YAML",
              lambda: expect_none([] if yamllint([FIXTURES / "bad-yaml.yaml.txt"]) else ["accepted"], "bad-yaml.yaml.txt"))

    print(f"check-deploy: {run.passed} passed, {run.failed} failed")
    return 1 if run.failed else 0


if __name__ == "__main__":
    sys.exit(main())
