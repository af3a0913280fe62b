# One image for every service of the platform; compose (or Kubernetes) picks the module to run:
#   docker run mpp-digital:latest service-catalog
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY local-stack/ local-stack/
COPY registry/ registry/
COPY gateway/ gateway/
COPY service-catalog/ service-catalog/
COPY application-service/ application-service/
COPY queue-service/ queue-service/
COPY notification-service/ notification-service/
COPY agency-adapter/ agency-adapter/
RUN ./mvnw -B -q -DskipTests package -pl registry,gateway,service-catalog,application-service,queue-service,notification-service,agency-adapter -am \
 && mkdir /jars \
 && for m in registry gateway service-catalog application-service queue-service notification-service agency-adapter; do cp $m/target/$m.jar /jars/; done

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 mpp
COPY --from=build /jars/ /app/
USER mpp
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/$0.jar \"$@\""]
CMD ["gateway"]
