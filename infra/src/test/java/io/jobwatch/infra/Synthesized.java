package io.jobwatch.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

/**
 * The one synthesis all infra tests share (~10 s and ~1 GB each, so once per test JVM): both stacks through
 * {@link InfraMain#synthesize} with an Organization AND an explicit account list (both trust paths at once), a
 * catalog, and the placeholder Lambda code.
 */
final class Synthesized {

    static final String ORG_ID = "o-a1b2c3d4e5";
    static final String MEMBER_1 = "123456789012";
    static final String MEMBER_2 = "234567890123";
    static final String CENTRAL_ACCOUNT = "999988887777";
    static final String CENTRAL_REGION = "eu-west-1";
    static final String EXTERNAL_ID = "jobwatch-test-external-id";

    static final Path OUT;
    static final InfraMain.Synthesis SYNTHESIS;
    static final JsonNode CENTRAL_JSON;
    static final JsonNode MEMBER_JSON;

    static {
        try {
            Path work = Files.createTempDirectory("jobwatch-infra-test");
            OUT = work.resolve("templates");
            Path catalog = Files.writeString(work.resolve("jobwatch.yml"), "accounts: {}\n");
            SYNTHESIS = InfraMain.synthesize(InfraMain.Options.parse(
                    "--out", OUT.toString(), "--placeholder-code",
                    "--context", "orgId=" + ORG_ID,
                    "--context", "memberAccounts=" + MEMBER_1 + "," + MEMBER_2,
                    "--context", "centralAccount=" + CENTRAL_ACCOUNT,
                    "--context", "centralRegion=" + CENTRAL_REGION,
                    "--context", "regions=eu-west-1,eu-central-1",
                    "--context", "sesFrom=jobwatch@mail.example.org",
                    "--context", "servicenowInstance=https://acme.service-now.com",
                    "--context", "reconcileExternalId=" + EXTERNAL_ID,
                    "--context", "alarmEmail=oncall@example.org",
                    "--context", "catalog=" + catalog));
            ObjectMapper json = new ObjectMapper();
            CENTRAL_JSON = json.readTree(OUT.resolve(InfraMain.CENTRAL_STACK + ".template.json").toFile());
            MEMBER_JSON = json.readTree(OUT.resolve(InfraMain.MEMBER_STACK + ".template.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Synthesized() {
    }

    /**
     * The same app with {@code ingestMode=queue}, synthesized on first use only (the tests of the queue path): the
     * central template and the synthesis.
     */
    static final class QueueMode {
        static final InfraMain.Synthesis SYNTHESIS;
        static final JsonNode CENTRAL_JSON;

        static {
            try {
                Path work = Files.createTempDirectory("jobwatch-infra-queue-test");
                Path catalog = Files.writeString(work.resolve("jobwatch.yml"), "accounts: {}\n");
                SYNTHESIS = InfraMain.synthesize(InfraMain.Options.parse(
                        "--out", work.resolve("templates").toString(), "--placeholder-code",
                        "--context", "memberAccounts=" + MEMBER_1,
                        "--context", "centralAccount=" + CENTRAL_ACCOUNT,
                        "--context", "centralRegion=" + CENTRAL_REGION,
                        "--context", "sesFrom=jobwatch@mail.example.org",
                        "--context", "servicenowInstance=https://acme.service-now.com",
                        "--context", "reconcileExternalId=" + EXTERNAL_ID,
                        "--context", "ingestMode=queue",
                        "--context", "catalog=" + catalog));
                CENTRAL_JSON = new ObjectMapper().readTree(work.resolve("templates")
                        .resolve(InfraMain.CENTRAL_STACK + ".template.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private QueueMode() {
        }

        static CentralStack central() {
            return SYNTHESIS.central();
        }
    }

    static CentralStack central() {
        return SYNTHESIS.central();
    }

    static MemberAccountStack member() {
        return SYNTHESIS.member();
    }

    static Template centralTemplate() {
        return Template.fromString(CENTRAL_JSON.toString());
    }

    static Template memberTemplate() {
        return Template.fromString(MEMBER_JSON.toString());
    }

    /** The logical id a construct's CloudFormation resource has in its stack's template. */
    static String id(IConstruct construct) {
        return Stack.of(construct).getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }
}
