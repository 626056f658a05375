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
