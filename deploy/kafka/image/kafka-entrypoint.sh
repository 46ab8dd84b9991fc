#!/bin/bash
# Entry point of the local Kafka image: write server.properties from the KAFKA_* environment (the
# apache/kafka image's convention), format the storage once with CLUSTER_ID, run the broker.
set -euo pipefail
config=/opt/kafka/config/server.properties
: "${CLUSTER_ID:?set CLUSTER_ID (22 characters of base64url, e.g. from kafka-storage.sh random-uuid)}"

# Not broker settings: the JVM's and this script's own variables.
skip=" KAFKA_HEAP_OPTS KAFKA_JVM_PERFORMANCE_OPTS KAFKA_GC_LOG_OPTS KAFKA_LOG4J_OPTS KAFKA_OPTS \
KAFKA_JMX_OPTS KAFKA_DEBUG KAFKA_VERSION KAFKA_HOME "
: >"$config"
for var in $(compgen -e | grep '^KAFKA_' | sort); do
  [[ "$skip" == *" $var "* ]] && continue
  key="${var#KAFKA_}"
  key="${key,,}"
  key="${key//___/-}"
  key="${key//__/@}"
  key="${key//_/.}"
  key="${key//@/_}"
  printf '%s=%s\n' "$key" "${!var}" >>"$config"
done
grep -q '^log.dirs=' "$config" || echo "log.dirs=/var/lib/kafka/data" >>"$config"

java_cmd=(java ${KAFKA_HEAP_OPTS:-} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties ${KAFKA_OPTS:-}
  -cp '/opt/kafka/libs/*')
"${java_cmd[@]}" kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$config"
exec "${java_cmd[@]}" kafka.Kafka "$config"
