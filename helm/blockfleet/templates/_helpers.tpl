{{/* Names, labels and the pieces every BlockFleet pod shares. */}}

{{- define "blockfleet.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "blockfleet.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "blockfleet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of the whole release: the default-deny NetworkPolicy selects these. */}}
{{- define "blockfleet.instanceLabels" -}}
app.kubernetes.io/name: {{ include "blockfleet.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "blockfleet.labels" -}}
helm.sh/chart: {{ include "blockfleet.chart" . }}
{{ include "blockfleet.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: blockfleet
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "worker"). */}}
{{- define "blockfleet.selectorLabels" -}}
{{ include "blockfleet.instanceLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "blockfleet.componentLabels" -}}
{{ include "blockfleet.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The image: a digest wins over a tag; the tag defaults to the chart's appVersion. */}}
{{- define "blockfleet.image" -}}
{{- $img := .Values.image }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) }}
{{- end }}
{{- end }}

{{/* The Secret holding the database and warehouse URLs. */}}
{{- define "blockfleet.secretName" -}}
{{- if .Values.externalSecrets.enabled }}
{{- default (printf "%s-urls" (include "blockfleet.fullname" .)) .Values.externalSecrets.targetSecretName }}
{{- else }}
{{- required "secrets.existingSecret must name a Secret with the database URL (or enable externalSecrets)" .Values.secrets.existingSecret }}
{{- end }}
{{- end }}

{{/* Service account name of a component; call with (dict "root" $ "component" "worker" "sa" .Values.worker.serviceAccount). */}}
{{- define "blockfleet.serviceAccountName" -}}
{{- if .sa.create }}
{{- default (printf "%s-%s" (include "blockfleet.fullname" .root) .component) .sa.name }}
{{- else }}
{{- default "default" .sa.name }}
{{- end }}
{{- end }}

{{/* The chart's geth Service: its URL and the Host names geth answers (--http.vhosts). */}}
{{- define "blockfleet.gethHost" -}}
{{- printf "%s-geth.%s.svc" (include "blockfleet.fullname" .) .Release.Namespace }}
{{- end }}

{{- define "blockfleet.gethUrl" -}}
{{- printf "http://%s:%d" (include "blockfleet.gethHost" .) (int .Values.geth.service.port) }}
{{- end }}

{{/*
BLOCKFLEET_RPC_URLS: the chart's geth Service when it runs geth (no secret in that URL), else the
Secret's rpc-urls key: hosted nodes keep API keys in their URLs, so they are never plain values.
*/}}
{{- define "blockfleet.rpcUrlsEnv" -}}
- name: BLOCKFLEET_RPC_URLS
{{- if .Values.geth.enabled }}
  value: {{ include "blockfleet.gethUrl" . | quote }}
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ include "blockfleet.secretName" . }}
      key: {{ .Values.secrets.rpcUrlsKey }}
{{- end }}
{{- end }}

{{/* BLOCKFLEET_DATABASE_URL from a key of the Secret; call with (dict "root" $ "key" "…"). */}}
{{- define "blockfleet.databaseUrlEnv" -}}
- name: BLOCKFLEET_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "blockfleet.secretName" .root }}
      key: {{ .key }}
{{- end }}

{{/*
The queue role's logins of the coordinator, workers and loaders. With pgbouncer.enabled, the
Secret's database-url goes through the chart's PgBouncer (transaction pooling) and
BLOCKFLEET_DATABASE_DIRECT_URL carries what pooling cannot: a worker's LISTEN, the coordinator's
leader lock (docs/scale.md §6.3).
*/}}
{{- define "blockfleet.queueDatabaseEnv" -}}
{{ include "blockfleet.databaseUrlEnv" (dict "root" . "key" .Values.secrets.databaseUrlKey) }}
{{- if .Values.pgbouncer.enabled }}
- name: BLOCKFLEET_DATABASE_DIRECT_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "blockfleet.secretName" . }}
      key: {{ .Values.secrets.databaseDirectUrlKey }}
{{- end }}
{{- end }}

{{- define "blockfleet.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
fsGroup: {{ .Values.securityContext.runAsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "blockfleet.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Environment common to coordinator, workers, loaders and the migration Job (each adds its own
BLOCKFLEET_DATABASE_URL: the migration Job logs in as the owner, the others as the queue role).
The URLs come from the Secret (they hold passwords); nothing secret is a plain value.
*/}}
{{- define "blockfleet.commonEnv" -}}
- name: BLOCKFLEET_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: BLOCKFLEET_HTTP_HOST
  value: "0.0.0.0"
- name: TMPDIR
  value: /tmp
{{- range .Values.config.extraEnv }}
{{- if has .name (list "BLOCKFLEET_DATABASE_URL" "BLOCKFLEET_DATABASE_DIRECT_URL" "BLOCKFLEET_WAREHOUSE_URL" "BLOCKFLEET_MODEL_WAREHOUSE_URL" "BLOCKFLEET_RPC_URLS") }}
{{- fail (printf "config.extraEnv must not set %s: it holds a password or an API key, so the chart reads it from the Secret (secrets.*Key)" .name) }}
{{- end }}
{{- if eq .name "AWS_ENDPOINT_URL" }}
{{- fail "config.extraEnv must not set AWS_ENDPOINT_URL: it would send STS (the IRSA token) there too; set AWS_ENDPOINT_URL_S3 for a custom S3 endpoint" }}
{{- end }}
{{- end }}
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* checkov findings that are accepted, each with its reason (scripts/check-deploy refuses skips without one). */}}
{{- define "blockfleet.checkovSkips" -}}
{{- if not .Values.image.digest }}
checkov.io/skip1: CKV_K8S_43=Images are pinned by tag by default; image.digest pins by digest where the registry is known.
{{- end }}
checkov.io/skip2: CKV_K8S_35=The binaries read their configuration from the environment only; the database and node URLs come from a Secret via secretKeyRef and are never logged.
{{- end }}
