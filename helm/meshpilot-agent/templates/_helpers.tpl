{{/* The release's full name, at most 63 characters. */}}
{{- define "meshpilot-agent.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "meshpilot-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "meshpilot-agent.labels" -}}
{{ include "meshpilot-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: meshpilot
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
meshpilot.io/region: {{ include "meshpilot-agent.region" . }}
{{- end -}}

{{- define "meshpilot-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "meshpilot-agent.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The region, required: the chart cannot guess which cluster it is installed in. */}}
{{- define "meshpilot-agent.region" -}}
{{- required "region is required: the Cilium cluster name of this cluster, e.g. --set region=us" .Values.region -}}
{{- end -}}

{{- define "meshpilot-agent.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The rules SPEC §3 grants the agent on the Services it manages; nothing else. */}}
{{- define "meshpilot-agent.serviceRules" -}}
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end -}}

{{/* A probe of the HTTP port: the values' timing (and any handler they set) over an httpGet of the path. */}}
{{- define "meshpilot-agent.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- if not (or $probe.httpGet $probe.exec $probe.tcpSocket $probe.grpc) -}}
{{- $_ := set $probe "httpGet" (dict "path" .path "port" "http") -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}
