package id.mppdigital.adapter.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import id.mppdigital.adapter.agency.AgencyProperties;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ws.client.WebServiceClientException;
import org.springframework.ws.client.core.WebServiceTemplate;
import org.springframework.ws.soap.client.SoapFaultClientException;
import org.springframework.ws.soap.client.core.SoapActionCallback;
import org.springframework.ws.soap.saaj.SaajSoapMessageFactory;
import org.springframework.ws.transport.http.JdkHttpClientMessageSender;

/**
 * An agency behind the legacy SKCK SOAP service ({@code contracts/agencies/skck-2009.wsdl}: SOAP 1.1,
 * document/literal), called with Spring Web Services' {@link WebServiceTemplate}, which blocks, so
 * every call runs on the bounded elastic scheduler and never on the event loop.
 * <ul>
 * <li>{@code AjukanPermohonan} takes the application, the form's fields under the agency's own
 * names (the agency's {@code fields} mapping). Each request is checked against the service's schema
 * before it is sent: one that does not fit is a mapping error, refused here and never sent.</li>
 * <li>The service takes no idempotency key; {@code CekStatus} is its look-up: an uncertain
 * delivery is looked up before it is sent again (see {@link Deliveries}).</li>
 * <li>There is no webhook: {@code CekStatus} is polled for each delivered application until the
 * agency completed or rejected it, and its history read in the agency's order.</li>
 * </ul>
 * A {@code soap:Client} fault is the agency refusing the content; any other fault, an HTTP error or
 * no answer within the agency's time-out is a failed attempt, tried again.
 */
final class SoapConnector implements Connector {

	static final String NAMESPACE = "urn:polri:skck:2009";

	static final String SCHEMA = "contracts/agencies/skck-2009.xsd";

	private static final Schema schema = schema();

	private final WebServiceTemplate soap;

	private final String endpoint;

	private final Map<String, String> fields;

	private final Map<String, String> platformNames = new HashMap<>();

	private final JsonMapper json;

	private final DocumentBuilderFactory documents = DocumentBuilderFactory.newInstance();

	SoapConnector(AgencyProperties.Agency agency, JsonMapper json) {
		this.endpoint = agency.endpoint().toString();
		this.fields = agency.fields();
		this.fields.forEach((platform, own) -> this.platformNames.put(own, platform));
		this.json = json;
		this.documents.setNamespaceAware(true);
		JdkHttpClientMessageSender sender = new JdkHttpClientMessageSender(
				HttpClient.newBuilder().connectTimeout(agency.timeout()).version(HttpClient.Version.HTTP_1_1).build());
		sender.setRequestTimeout(agency.timeout());
		SaajSoapMessageFactory messages = new SaajSoapMessageFactory();
		messages.afterPropertiesSet();
		this.soap = new WebServiceTemplate(messages);
		this.soap.setMessageSender(sender);
	}

	@Override
	public boolean polled() {
		return true;
	}

	@Override
	public Mono<Outcome> deliver(Delivery delivery) {
		Document request;
		try {
			request = submission(this.json.readTree(delivery.payload()));
			schema.newValidator().validate(new DOMSource(request));
		}
		catch (SAXException | IOException | RuntimeException unmappable) {
			return Mono.just(new Outcome.Refused("mapping: the application does not fit the agency's schema: "
					+ unmappable.getMessage()));
		}
		return call("AjukanPermohonan", request)
			.map(answer -> (Outcome) new Outcome.Delivered(text(answer.getDocumentElement(), "nomorRegistrasi")))
			.onErrorResume(failure -> Mono.just(outcome(failure)));
	}

	@Override
	public Mono<Found> lookUp(Delivery delivery) {
		return status(delivery.id()).map(answer -> {
			Element root = answer.getDocumentElement();
			boolean registered = Boolean.parseBoolean(text(root, "ditemukan"));
			return new Found(registered, registered ? text(root, "nomorRegistrasi") : null);
		});
	}

	@Override
	public Mono<List<AgencyStatus>> statuses(Delivery delivery) {
		return status(delivery.id()).map(answer -> {
			Element root = answer.getDocumentElement();
			String reference = text(root, "nomorRegistrasi");
			List<AgencyStatus> statuses = new ArrayList<>();
			NodeList steps = root.getElementsByTagNameNS(NAMESPACE, "status");
			for (int i = 0; i < steps.getLength(); i++) {
				Element step = (Element) steps.item(i);
				List<AgencyStatus.Fix> revision = new ArrayList<>();
				NodeList fixes = step.getElementsByTagNameNS(NAMESPACE, "perbaikan");
				for (int f = 0; f < fixes.getLength(); f++) {
					Element fix = (Element) fixes.item(f);
					String own = fix.getAttribute("isian");
					revision.add(new AgencyStatus.Fix(this.platformNames.getOrDefault(own, own), fix.getTextContent().strip()));
				}
				statuses.add(new AgencyStatus(Integer.parseInt(text(step, "urutan")), AgencyStatus.fromLegacyCode(text(step, "kode")),
						Instant.parse(text(step, "waktu")), reference, blankToNull(text(step, "keterangan")),
						blankToNull(text(step, "alasan")), revision, blankToNull(text(step, "pengambilan"))));
			}
			return statuses;
		});
	}

	private Mono<Document> status(String applicationId) {
		Document request = newDocument();
		Element check = request.createElementNS(NAMESPACE, "CekStatus");
		request.appendChild(check);
		add(check, "nomorPermohonan", applicationId);
		return call("CekStatus", request);
	}

	/** One blocking SOAP call, off the event loop. */
	private Mono<Document> call(String operation, Document request) {
		return Mono.fromCallable(() -> {
			DOMResult result = new DOMResult();
			this.soap.sendSourceAndReceiveToResult(this.endpoint, new DOMSource(request),
					new SoapActionCallback(NAMESPACE + ":" + operation), result);
			Node node = result.getNode();
			return (node instanceof Document document) ? document : node.getOwnerDocument();
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** The agency's {@code AjukanPermohonan}: the application and its form under the agency's names. */
	private Document submission(JsonNode application) {
		Document request = newDocument();
		Element submit = request.createElementNS(NAMESPACE, "AjukanPermohonan");
		request.appendChild(submit);
		add(submit, "nomorPermohonan", application.path("applicationId").asString());
		add(submit, "jenisLayanan", application.path("standardId").asString());
		add(submit, "versiStandar", application.path("standardVersion").asString());
		add(submit, "kodeMpp", application.path("mppId").asString());
		add(submit, "tanggalPengajuan", application.path("submittedAt").asString());
		add(submit, "tanggalJatuhTempo", application.path("dueDate").asString());
		Element form = add(submit, "dataPemohon", null);
		for (Map.Entry<String, JsonNode> field : application.path("form").properties()) {
			JsonNode value = field.getValue();
			Element entry = add(form, "isian", value.isValueNode() ? value.asString() : this.json.writeValueAsString(value));
			entry.setAttribute("nama", this.fields.getOrDefault(field.getKey(), field.getKey()));
		}
		return request;
	}

	private Document newDocument() {
		try {
			return this.documents.newDocumentBuilder().newDocument();
		}
		catch (ParserConfigurationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Element add(Element parent, String name, String text) {
		Element element = parent.getOwnerDocument().createElementNS(NAMESPACE, name);
		if (text != null) {
			element.setTextContent(text);
		}
		parent.appendChild(element);
		return element;
	}

	private static String text(Element parent, String name) {
		NodeList found = parent.getElementsByTagNameNS(NAMESPACE, name);
		return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
	}

	private static String blankToNull(String text) {
		return text.isEmpty() ? null : text;
	}

	private static Outcome outcome(Throwable failure) {
		if (failure instanceof SoapFaultClientException fault) {
			String code = fault.getFaultCode() == null ? "" : fault.getFaultCode().getLocalPart();
			String reason = "SOAP fault " + code + ": " + fault.getFaultStringOrReason();
			return code.endsWith("Client") ? new Outcome.Refused(reason) : new Outcome.Failed(reason);
		}
		if (failure instanceof WebServiceClientException client) {
			return new Outcome.Failed(client.getMostSpecificCause().toString());
		}
		return new Outcome.Failed(failure.toString());
	}

	private static Schema schema() {
		try (InputStream in = SoapConnector.class.getClassLoader().getResourceAsStream(SCHEMA)) {
			if (in == null) {
				throw new IllegalStateException(SCHEMA + " is not on the class path (the contracts jar)");
			}
			SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
			return factory.newSchema(new StreamSource(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (SAXException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
