{{/* The chart name, cut to 63 characters (a DNS label). */}}
{{- define "htpi-customer-portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The fully qualified app name, cut to 63 characters. A release whose name already contains the
chart name is used as it is.
*/}}
{{- define "htpi-customer-portal.fullname" -}}
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

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "htpi-customer-portal.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: never change on upgrade. */}}
{{- define "htpi-customer-portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "htpi-customer-portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of every resource. */}}
{{- define "htpi-customer-portal.labels" -}}
helm.sh/chart: {{ include "htpi-customer-portal.chart" . }}
{{ include "htpi-customer-portal.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: portal
app.kubernetes.io/part-of: htpi
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "htpi-customer-portal.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "htpi-customer-portal.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "htpi-customer-portal.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* NATS_URL: the given one, or the official NATS chart installed beside this release as <release>-nats. */}}
{{- define "htpi-customer-portal.natsUrl" -}}
{{- default (printf "nats://%s-nats:4222" .Release.Name) .Values.nats.url }}
{{- end }}

{{/* The Secret holding NATS_USER / NATS_PASSWORD, or "" when there is none. */}}
{{- define "htpi-customer-portal.natsAuthSecret" -}}
{{- if .Values.nats.auth.existingSecret }}
{{- .Values.nats.auth.existingSecret }}
{{- else if .Values.nats.auth.user }}
{{- printf "%s-nats" (include "htpi-customer-portal.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Seconds Kubernetes waits after starting to stop a pod: the preStop sleep, the drain, and 5 s for the rest of shutdown. */}}
{{- define "htpi-customer-portal.terminationGracePeriodSeconds" -}}
{{- add (int .Values.lifecycle.preStopSleepSeconds) (int .Values.config.drainTimeoutSeconds) 5 }}
{{- end }}

{{/* Where the NATS .creds file and TLS files are mounted. */}}
{{- define "htpi-customer-portal.natsCredsDir" -}}/etc/htpi/nats-creds{{- end }}
{{- define "htpi-customer-portal.natsTlsDir" -}}/etc/htpi/nats-tls{{- end }}
