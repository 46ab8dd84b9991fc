#!/bin/bash
# As the Apache Kafka distribution's script: the API versions each broker answers with, e.g.
#   kafka-broker-api-versions.sh --bootstrap-server localhost:9092
# (docker-compose.yml's health check for the kafka service).
exec java -Xmx128m -XX:TieredStopAtLevel=1 -Xshare:auto \
  -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties -Dwirestream.kafka.log.level=WARN \
  -cp '/opt/kafka/libs/*' org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
