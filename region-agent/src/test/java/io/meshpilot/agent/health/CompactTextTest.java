package io.meshpilot.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Whatever the API server sends comes back exactly. */
class CompactTextTest {

    @Property
    void anyTextComesBackExactly(@ForAll String text) {
        assertThat(CompactText.of(text).text()).isEqualTo(text);
    }

    @Property
    void anyNumberComesBackExactly(@ForAll long number) {
        String text = Long.toString(number);

        assertThat(CompactText.of(text).text()).isEqualTo(text);
    }

    @Property
    void anyUuidComesBackExactly(@ForAll long high, @ForAll long low) {
        String text = new UUID(high, low).toString();

        assertThat(CompactText.of(text).text()).isEqualTo(text);
    }

    @Test
    void revisionsAndUidsAreKeptAsNumbers() {
        assertThat(CompactText.of("123456").other()).isNull();
        assertThat(CompactText.of("6f1c1b9e-6a53-4f7e-9a51-2b1f5f0c3d2a").other()).isNull();
    }

    @Test
    void textThatLooksAlmostLikeEitherIsKeptAsText() {
        for (String text : new String[] {"", "0", "007", "-1", "12a", "9223372036854775807", "99999999999999999999",
                "6F1C1B9E-6A53-4F7E-9A51-2B1F5F0C3D2A", "80000000-0000-0000-0000-000000000000"}) {
            assertThat(CompactText.of(text).text()).as(text).isEqualTo(text);
        }
        assertThat(CompactText.of(null)).isNull();
    }
}
