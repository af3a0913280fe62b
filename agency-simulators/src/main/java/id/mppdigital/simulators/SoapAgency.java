package id.mppdigital.simulators;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import jakarta.xml.soap.MessageFactory;
import jakarta.xml.soap.MimeHeaders;
import jakarta.xml.soap.SOAPBody;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPElement;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.soap.SOAPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A legacy agency back office behind a SOAP 1.1 service from 2009, as the demo's Polri runs it: the
 * SKCK service of {@code contracts/agencies/skck-2009.wsdl} at {@code /skck} (its WSDL at
 * {@code /skck?wsdl}). {@code AjukanPermohonan} registers an application and takes <em>no</em>
 * idempotency key — sending it twice registers it twice, which the counts show as a duplicate — and
 * {@code CekStatus} answers whether an application is registered and its history so far: there is no
 * webhook, the caller polls. Every request is checked against the service's XML Schema; one that
 * does not fit gets a {@code soap:Client} fault, as does an applicant named {@code TOLAK}.
 */
public final class SoapAgency implements SimulatedAgency {

	private static final Logger log = LoggerFactory.getLogger(SoapAgency.class);

	static final String NAMESPACE = "urn:polri:skck:2009";

	/** The platform's statuses under the agency's own codes. */
	static final Map<String, String> CODES = Map.of("RECEIVED", "DITERIMA", "IN_PROCESS", "DIPROSES", "APPROVED",
			"DISETUJUI", "COMPLETED", "SELESAI");

	/** SOAP 1.1 fault codes: the caller's message is at fault, or the service is */
	private static final QName CLIENT = new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Client");

	private static final QName SERVER = new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Server");

	private final BackOffice office;

	private final DisposableServer server;

	private final Schema schema;

	private final MessageFactory soap;

	private final byte[] wsdl;

	private final byte[] xsd;

	private SoapAgency(String agencyId, int port, Duration reportDelay) {
		this.office = new BackOffice(agencyId, reportDelay);
		this.wsdl = resource("contracts/agencies/skck-2009.wsdl");
		this.xsd = resource("contracts/agencies/skck-2009.xsd");
		try {
			this.schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
				.newSchema(new javax.xml.transform.stream.StreamSource(new ByteArrayInputStream(this.xsd)));
			this.soap = MessageFactory.newInstance(SOAPConstants.SOAP_1_1_PROTOCOL);
		}
		catch (SAXException | SOAPException ex) {
			throw new IllegalStateException(ex);
		}
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			.route(routes -> routes.post("/skck", this::call)
				.get("/skck", (request, response) -> xml(response, 200, wsdl()))
				.get("/skck-2009.xsd", (request, response) -> xml(response, 200, this.xsd))
				.get("/control/counts", (request, response) -> response.status(200)
					.header("Content-Type", "application/json")
					.sendString(Mono.just(this.office.countsJson()))
					.then()))
			.bindNow();
		log.info("{} SOAP back office on {}", agencyId, uri());
	}

	/** @param port 0 for any free port */
	public static SoapAgency start(String agencyId, int port, Duration reportDelay) {
		return new SoapAgency(agencyId, port, reportDelay);
	}

	@Override
	public BackOffice office() {
		return this.office;
	}

	/** The service's address (its WSDL at {@code ?wsdl}). */
	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.port() + "/skck");
	}

	private byte[] wsdl() {
		String text = new String(this.wsdl, StandardCharsets.UTF_8).replace("http://127.0.0.1:8092/skck",
				uri().toString());
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private Mono<Void> call(HttpServerRequest request, HttpServerResponse response) {
		String action = request.requestHeaders().get("SOAPAction", "");
		if (action.contains("AjukanPermohonan")) {
			this.office.request(); // a delivery attempt (status look-ups are not)
		}
		String contentType = request.requestHeaders().get("Content-Type", "text/xml");
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> {
			BackOffice.Mode now = this.office.mode();
			Mono<Void> delay = (now == BackOffice.Mode.SLOW) ? Mono.delay(this.office.slowBy()).then() : Mono.empty();
			return delay.then(Mono.defer(() -> {
				if (now == BackOffice.Mode.DOWN) {
					return response.status(503).header("Content-Type", "text/html").sendString(Mono.just(
							"<html><body>Service Unavailable</body></html>")).then();
				}
				return Mono.fromCallable(() -> answer(contentType, body, now))
					.subscribeOn(Schedulers.boundedElastic())
					.flatMap(answer -> {
						Mono<Void> late = (answer.took() && now == BackOffice.Mode.ANSWER_LOST)
								? Mono.delay(Duration.ofSeconds(30)).then() : Mono.empty();
						return late.then(xml(response, answer.status(), answer.body()));
					});
			}));
		});
	}

	private record Answer(int status, byte[] body, boolean took) {
	}

	private Answer answer(String contentType, byte[] body, BackOffice.Mode now) throws SOAPException, IOException {
		SOAPMessage reply = this.soap.createMessage();
		SOAPBody out = reply.getSOAPBody();
		try {
			if (now == BackOffice.Mode.FAILING) {
				return fault(reply, SERVER, "Kesalahan sistem internal");
			}
			MimeHeaders headers = new MimeHeaders();
			headers.addHeader("Content-Type", contentType);
			SOAPBody in = this.soap.createMessage(headers, new ByteArrayInputStream(body)).getSOAPBody();
			Element operation = firstElement(in);
			if (operation == null || !NAMESPACE.equals(operation.getNamespaceURI())) {
				return fault(reply, CLIENT, "Operasi tidak dikenal");
			}
			try {
				this.schema.newValidator().validate(new DOMSource(operation));
			}
			catch (SAXException invalid) {
				return fault(reply, CLIENT, "Pesan tidak sesuai skema: " + invalid.getMessage());
			}
			if ("AjukanPermohonan".equals(operation.getLocalName())) {
				String applicationId = text(operation, "nomorPermohonan");
				BackOffice.Taken taken;
				try {
					// no idempotency key: every call is a registration
					taken = this.office.take(applicationId, null, field(operation, "namaLengkap"), step -> {
					});
				}
				catch (BackOffice.Refusal refusal) {
					return fault(reply, CLIENT, "Data pemohon tidak dapat diproses");
				}
				out.addChildElement("AjukanPermohonanResponse", "", NAMESPACE)
					.addChildElement("nomorRegistrasi", "", NAMESPACE)
					.addTextNode(taken.reference());
				return new Answer(200, bytes(reply), true);
			}
			if ("CekStatus".equals(operation.getLocalName())) {
				String applicationId = text(operation, "nomorPermohonan");
				SOAPElement answer = out.addChildElement("CekStatusResponse", "", NAMESPACE);
				List<BackOffice.Status> history = this.office.history(applicationId).orElse(null);
				answer.addChildElement("ditemukan", "", NAMESPACE).addTextNode(Boolean.toString(history != null));
				if (history != null) {
					answer.addChildElement("nomorRegistrasi", "", NAMESPACE)
						.addTextNode(this.office.reference(applicationId).orElseThrow());
					SOAPElement steps = answer.addChildElement("riwayat", "", NAMESPACE);
					for (BackOffice.Status step : history) {
						SOAPElement status = steps.addChildElement("status", "", NAMESPACE);
						status.addChildElement("urutan", "", NAMESPACE).addTextNode(Integer.toString(step.sequence()));
						status.addChildElement("kode", "", NAMESPACE).addTextNode(CODES.get(step.status()));
						status.addChildElement("waktu", "", NAMESPACE).addTextNode(step.at().toString());
						if (step.collection() != null) {
							status.addChildElement("pengambilan", "", NAMESPACE).addTextNode(step.collection());
						}
					}
				}
				return new Answer(200, bytes(reply), false);
			}
			return fault(reply, CLIENT, "Operasi tidak dikenal");
		}
		catch (SOAPException unreadable) {
			return fault(this.soap.createMessage(), CLIENT, "Pesan SOAP tidak terbaca");
		}
	}

	private Answer fault(SOAPMessage reply, QName code, String message) throws SOAPException, IOException {
		SOAPFault fault = reply.getSOAPBody().addFault();
		fault.setFaultCode(code);
		fault.setFaultString(message);
		return new Answer(500, bytes(reply), false);
	}

	private static Element firstElement(Node parent) {
		for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
			if (child instanceof Element element) {
				return element;
			}
		}
		return null;
	}

	private static String text(Element operation, String name) {
		NodeList found = operation.getElementsByTagNameNS(NAMESPACE, name);
		return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
	}

	/** A form field by the agency's name for it. */
	private static String field(Element operation, String name) {
		NodeList fields = operation.getElementsByTagNameNS(NAMESPACE, "isian");
		for (int i = 0; i < fields.getLength(); i++) {
			Element field = (Element) fields.item(i);
			if (name.equals(field.getAttribute("nama"))) {
				return field.getTextContent();
			}
		}
		return "";
	}

	private static byte[] bytes(SOAPMessage message) throws SOAPException, IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		message.writeTo(out);
		return out.toByteArray();
	}

	private static Mono<Void> xml(HttpServerResponse response, int status, byte[] body) {
		return response.status(status)
			.header("Content-Type", "text/xml; charset=utf-8")
			.sendByteArray(Mono.just(body))
			.then();
	}

	private static byte[] resource(String name) {
		URL url = SoapAgency.class.getClassLoader().getResource(name);
		if (url == null) {
			throw new IllegalStateException(name + " is not on the class path (the contracts jar)");
		}
		try (InputStream in = url.openStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.office.close();
		this.server.disposeNow();
	}

}
