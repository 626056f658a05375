{{/* Egress rule pieces shared by the NetworkPolicies. */}}
{{- define "blockfleet.np.dns" }}
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
{{- end }}
{{- define "blockfleet.np.cidrs" }}
      to:
        {{- range . }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
{{- end }}

{{/* Egress to the JSON-RPC nodes: the chart's geth pods, or the nodes at networkPolicy.rpcCidrs. */}}
{{- define "blockfleet.np.rpc" }}
{{- $np := .Values.networkPolicy }}
{{- if .Values.geth.enabled }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "blockfleet.selectorLabels" (dict "root" . "component" "geth") | nindent 14 }}
      ports:
        - port: {{ .Values.geth.service.port }}
          protocol: TCP
{{- end }}
{{- if $np.rpcCidrs }}
    - ports:
        {{- range $np.rpcPorts }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- include "blockfleet.np.cidrs" $np.rpcCidrs }}
{{- else if not .Values.geth.enabled }}
{{- fail "networkPolicy.rpcCidrs is empty and geth.enabled is false: the NetworkPolicies would let the workers and the coordinator reach no Ethereum node" }}
{{- end }}
{{- end }}
