# One image for every service of the platform; compose (or Kubernetes) picks the module to run:
#   docker run mpp-digital:latest service-catalog
# (and kafka-access, the Kafka users-and-ACLs set-up, with JAVA_OPTS=-Dloader.main=...KafkaAccess)
# Built for Java 17 (the baseline: a machine with only JDK 17 builds, runs and tests it), run on the
# Java 25 LTS, measured faster on the same jars (docs/benchmarks.md, "Java 17 and 25").
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# the whole reactor (the root POM names every module; .dockerignore keeps build output out)
COPY . .
RUN ./mvnw -B -q -DskipTests package -pl registry,identity,gateway,service-catalog,application-service,queue-service,notification-service,agency-adapter,local-stack -am \
 && mkdir /jars \
 && for m in registry identity gateway service-catalog application-service queue-service notification-service agency-adapter; do cp $m/target/$m.jar /jars/; done \
 && cp local-stack/target/local-stack-exec.jar /jars/kafka-access.jar

FROM eclipse-temurin:25-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 mpp
COPY --from=build /jars/ /app/
USER mpp
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/$0.jar \"$@\""]
CMD ["gateway"]
