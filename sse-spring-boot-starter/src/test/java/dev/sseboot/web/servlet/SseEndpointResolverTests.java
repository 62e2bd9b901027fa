package dev.sseboot.web.servlet;

import dev.sseboot.core.OverflowPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The {@code overflow} attribute's values, as {@code application.yml} spells them. */
class SseEndpointResolverTests {

	@Test
	void readsEveryPolicyAsPropertiesSpellIt() {
		assertThat(SseEndpointResolver.overflow("conflate")).isEqualTo(OverflowPolicy.CONFLATE);
		assertThat(SseEndpointResolver.overflow("drop-oldest")).isEqualTo(OverflowPolicy.DROP_OLDEST);
		assertThat(SseEndpointResolver.overflow(" BLOCK ")).isEqualTo(OverflowPolicy.BLOCK);
	}

	@Test
	void anUnknownPolicyNamesEveryKnownOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> SseEndpointResolver.overflow("latest"))
			.withMessage("use one of block, drop-oldest, drop-newest, close, conflate (got latest)");
	}

}
