{{/*
A pool of `worker` processes: the export workers and the loaders are the same binary, told
apart by BLOCKFLEET_WORKER_KINDS. Call with (dict "root" $ "component" "worker" "pool" .Values.worker).
*/}}
{{- define "blockfleet.poolDeployment" -}}
{{- $root := .root }}
{{- $pool := .pool }}
{{- $sel := dict "root" $root "component" .component }}
{{- $kinds := splitList "," $pool.kinds }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "blockfleet.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "blockfleet.componentLabels" $sel | nindent 4 }}
  annotations:
    {{- include "blockfleet.checkovSkips" $root | nindent 4 }}
spec:
  {{- if not (or $pool.autoscaling.enabled $pool.keda.enabled) }}
  replicas: {{ $pool.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "blockfleet.selectorLabels" $sel | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "blockfleet.selectorLabels" $sel | nindent 8 }}
        {{- with $pool.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ toJson $root.Values.config | sha256sum | trunc 16 }}
        {{- with $pool.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "blockfleet.serviceAccountName" (dict "root" $root "component" .component "sa" $pool.serviceAccount) }}
      # No component calls the Kubernetes API; IRSA mounts its own projected token.
      automountServiceAccountToken: false
      # The worker drains held jobs for BLOCKFLEET_SHUTDOWN_GRACE_SECONDS after SIGTERM, then
      # releases the rest; the kubelet's SIGKILL must come after that.
      terminationGracePeriodSeconds: {{ add $root.Values.config.shutdownGraceSeconds $root.Values.config.terminationGraceMarginSeconds }}
      securityContext:
        {{- include "blockfleet.podSecurityContext" $root | nindent 8 }}
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .component }}
          image: {{ include "blockfleet.image" $root | quote }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          command: ["/usr/local/bin/worker"]
          {{- with $pool.extraArgs }}
          args:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          env:
            {{- include "blockfleet.queueDatabaseEnv" $root | nindent 12 }}
            {{- include "blockfleet.commonEnv" $root | nindent 12 }}
            - name: BLOCKFLEET_WORKER_KINDS
              value: {{ $pool.kinds | quote }}
            - name: BLOCKFLEET_WORKER_CONCURRENCY
              value: {{ $pool.concurrency | quote }}
            - name: BLOCKFLEET_LISTEN
              value: {{ $pool.listen | quote }}
            - name: BLOCKFLEET_SHUTDOWN_GRACE_SECONDS
              value: {{ $root.Values.config.shutdownGraceSeconds | quote }}
            - name: BLOCKFLEET_HTTP_PORT
              value: {{ $pool.port | quote }}
            - name: BLOCKFLEET_SCRATCH_DIR
              value: /scratch
            {{- if has "export" $kinds }}
            {{- include "blockfleet.rpcUrlsEnv" $root | nindent 12 }}
            {{- end }}
            - name: BLOCKFLEET_STAGING_URL
              value: {{ required "config.stagingUrl is required (s3://bucket/prefix)" $root.Values.config.stagingUrl | quote }}
            {{- if and (has "export" $kinds) $root.Values.config.lakeUrl }}
            - name: BLOCKFLEET_LAKE_URL
              value: {{ $root.Values.config.lakeUrl | quote }}
            {{- end }}
            - name: AWS_REGION
              value: {{ $root.Values.config.awsRegion | quote }}
            {{- if or (has "load" $kinds) (has "model" $kinds) }}
            # The loader role: the warehouse's tables. Without the key the warehouse is the queue database.
            - name: BLOCKFLEET_WAREHOUSE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ include "blockfleet.secretName" $root }}
                  key: {{ $root.Values.secrets.warehouseUrlKey }}
                  optional: true
            {{- end }}
            {{- if has "model" $kinds }}
            # The model role: user model SQL runs as it (warehouse only, no queue access). Without
            # the key the model stage uses BLOCKFLEET_WAREHOUSE_URL.
            - name: BLOCKFLEET_MODEL_WAREHOUSE_URL
              valueFrom:
                secretKeyRef:
                  name: {{ include "blockfleet.secretName" $root }}
                  key: {{ $root.Values.secrets.modelWarehouseUrlKey }}
                  optional: true
            {{- end }}
            - name: BLOCKFLEET_WAREHOUSE_SCHEMA
              value: {{ $root.Values.config.warehouseSchema | quote }}
            {{- with $root.Values.config.redshiftIamRole }}
            - name: BLOCKFLEET_REDSHIFT_IAM_ROLE
              value: {{ . | quote }}
            {{- end }}
            - name: BLOCKFLEET_WORKER_ID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          ports:
            - name: http
              containerPort: {{ $pool.port }}
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 6
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          resources:
            {{- toYaml $pool.resources | nindent 12 }}
          securityContext:
            {{- include "blockfleet.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: scratch
              mountPath: /scratch
            - name: tmp
              mountPath: /tmp
      volumes:
        # One attempt's files before staging; the root filesystem is read-only.
        - name: scratch
          emptyDir:
            sizeLimit: {{ $pool.scratchSizeLimit }}
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
      {{- with $pool.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $pool.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $pool.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "blockfleet.selectorLabels" $sel | nindent 14 }}
{{- end }}

{{/* A pool's PodDisruptionBudget: node drains evict its pods one at a time. */}}
{{- define "blockfleet.poolPDB" -}}
{{- $root := .root }}
{{- $pool := .pool }}
{{- if $pool.pdb.enabled }}
{{- $sel := dict "root" $root "component" .component }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "blockfleet.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "blockfleet.componentLabels" $sel | nindent 4 }}
spec:
  maxUnavailable: {{ $pool.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "blockfleet.selectorLabels" $sel | nindent 6 }}
{{- end }}
{{- end }}

{{/* The CPU HorizontalPodAutoscaler of a pool (not rendered when KEDA scales it). */}}
{{- define "blockfleet.poolHPA" -}}
{{- $root := .root }}
{{- $pool := .pool }}
{{- if and $pool.autoscaling.enabled (not $pool.keda.enabled) }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "blockfleet.fullname" $root }}-{{ .component }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "blockfleet.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "blockfleet.fullname" $root }}-{{ .component }}
  minReplicas: {{ $pool.autoscaling.minReplicas }}
  maxReplicas: {{ $pool.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $pool.autoscaling.targetCPUUtilizationPercentage }}
  behavior:
    scaleDown:
      # Scaling down drains jobs; don't flap.
      stabilizationWindowSeconds: 300
{{- end }}
{{- end }}

{{/*
A KEDA ScaledObject on the queue depth of the pool's job kind: the postgresql trigger reads
the queue_depth view, and the pool scales to zero when nothing is pending or running. Pending jobs
of a paused kind do not count: no worker could claim them.
*/}}
{{- define "blockfleet.poolScaledObject" -}}
{{- $root := .root }}
{{- $pool := .pool }}
{{- if $pool.keda.enabled }}
{{- $name := printf "%s-%s" (include "blockfleet.fullname" $root) .component }}
apiVersion: keda.sh/v1alpha1
kind: TriggerAuthentication
metadata:
  name: {{ $name }}-queue
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "blockfleet.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  secretTargetRef:
    - parameter: connection
      name: {{ include "blockfleet.secretName" $root }}
      # The read-only login: KEDA only reads the queue_depth view.
      key: {{ $root.Values.secrets.readonlyDatabaseUrlKey }}
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "blockfleet.componentLabels" (dict "root" $root "component" .component) | nindent 4 }}
spec:
  scaleTargetRef:
    name: {{ $name }}
  minReplicaCount: {{ $pool.keda.minReplicaCount }}
  maxReplicaCount: {{ $pool.keda.maxReplicaCount }}
  pollingInterval: {{ $pool.keda.pollingInterval }}
  cooldownPeriod: {{ $pool.keda.cooldownPeriod }}
  triggers:
    - type: postgresql
      metadata:
        query: {{ printf "SELECT COALESCE(sum(jobs), 0) FROM queue_depth WHERE kind = ANY(string_to_array('%s', ',')) AND state IN ('pending', 'retrying', 'running') AND (state = 'running' OR NOT paused)" $pool.kinds | quote }}
        targetQueryValue: {{ $pool.keda.jobsPerReplica | quote }}
        activationTargetQueryValue: "0"
      authenticationRef:
        name: {{ $name }}-queue
{{- end }}
{{- end }}
