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

{{/* JSON-RPC endpoints: the chart's geth Service when it runs geth, else the configured ones. */}}
{{- define "blockfleet.rpcUrls" -}}
{{- if .Values.geth.enabled }}
{{- printf "http://%s-geth.%s.svc:%d" (include "blockfleet.fullname" .) .Release.Namespace (int .Values.geth.service.port) }}
{{- else if .Values.config.rpcUrls }}
{{- join "," .Values.config.rpcUrls }}
{{- else }}
{{- fail "config.rpcUrls is empty and geth.enabled is false: the workers would have no Ethereum node" }}
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
Environment common to coordinator, workers, loaders and the migration Job.
The URLs come from the Secret (they hold passwords); nothing secret is a plain value.
*/}}
{{- define "blockfleet.commonEnv" -}}
- name: BLOCKFLEET_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "blockfleet.secretName" . }}
      key: {{ .Values.secrets.databaseUrlKey }}
- name: BLOCKFLEET_LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: BLOCKFLEET_HTTP_HOST
  value: "0.0.0.0"
- name: TMPDIR
  value: /tmp
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* checkov findings that are accepted, each with its reason (scripts/check-deploy refuses skips without one). */}}
{{- define "blockfleet.checkovSkips" -}}
{{- if not .Values.image.digest }}
checkov.io/skip1: CKV_K8S_43=Images are pinned by tag by default; image.digest pins by digest where the registry is known.
{{- end }}
checkov.io/skip2: CKV_K8S_35=The binaries read their configuration from the environment only; the URLs come from a Secret via secretKeyRef and are never logged.
{{- end }}
