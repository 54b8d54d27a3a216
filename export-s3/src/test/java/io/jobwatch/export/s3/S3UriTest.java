package io.jobwatch.export.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class S3UriTest {

    @Test
    void parse_splitsBucketAndPrefix_prefixEndingInSlash() {
        assertThat(S3Uri.parse("s3://acme-bi/jobwatch/export")).isEqualTo(new S3Uri("acme-bi", "jobwatch/export/"));
        assertThat(S3Uri.parse("s3://acme-bi/jobwatch/")).isEqualTo(new S3Uri("acme-bi", "jobwatch/"));
        assertThat(S3Uri.parse("s3://acme-bi")).isEqualTo(new S3Uri("acme-bi", ""));
        assertThat(S3Uri.parse("s3://acme-bi/").key("runs/x")).isEqualTo("runs/x");
        assertThat(S3Uri.parse("s3://acme-bi/p").toString()).isEqualTo("s3://acme-bi/p/");
    }

    @Test
    void parse_rejectsWhatIsNotAnS3Location() {
        assertThatThrownBy(() -> S3Uri.parse("https://acme-bi/x"))
                .hasMessage("not an S3 location: 'https://acme-bi/x' (expected s3://bucket/prefix)");
        assertThatThrownBy(() -> S3Uri.parse("s3://"))
                .hasMessageContaining("not an S3 location");
        assertThatThrownBy(() -> S3Uri.parse("s3://Acme/x")).hasMessageContaining("not an S3 bucket name: 'Acme'");
    }

    @Test
    void encryption_parsesConfigValues_andRefusesAKeyWithoutKms() {
        assertThat(Encryption.parse(null, null)).isEqualTo(new Encryption.None());
        assertThat(Encryption.parse("AES256", "")).isEqualTo(new Encryption.S3Managed());
        assertThat(Encryption.parse("aws:kms", null)).isEqualTo(new Encryption.Kms(null));
        assertThat(Encryption.parse("aws:kms", " arn:aws:kms:eu-west-1:1:key/k ")).isEqualTo(
                new Encryption.Kms("arn:aws:kms:eu-west-1:1:key/k"));
        assertThatThrownBy(() -> Encryption.parse("AES256", "alias/x"))
                .hasMessageContaining("set encryption to aws:kms or remove the key id");
        assertThatThrownBy(() -> Encryption.parse("des", null))
                .hasMessage("unknown server-side encryption 'des' (expected none, AES256 or aws:kms)");
    }
}
