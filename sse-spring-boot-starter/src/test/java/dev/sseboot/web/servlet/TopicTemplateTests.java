package dev.sseboot.web.servlet;

import java.util.Map;

import dev.sseboot.core.TopicNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TopicTemplateTests {

	private static TopicTemplate template(String text, String path) {
		return TopicTemplate.parse("Test.method", text, path);
	}

	@Test
	void escapesEverythingAValueCouldUseAsStructure() {
		assertThat(TopicNames.escape("lobby-42_~x")).isEqualTo("lobby-42_~x");
		assertThat(TopicNames.escape("x.admin")).isEqualTo("x%2Eadmin");
		assertThat(TopicNames.escape("a:b/c%d")).isEqualTo("a%3Ab%2Fc%25d");
		assertThat(TopicNames.escape("é{}")).isEqualTo("%C3%A9%7B%7D");
		assertThat(template("room.{room}", "/rooms/{room}").fill(Map.of("room", "x.admin")))
			.isEqualTo("room.x%2Eadmin");
		assertThat(template("user:{id}.inbox", "/u/{id}").fill(Map.of("id", "ada@example.com")))
			.isEqualTo("user:ada%40example%2Ecom.inbox");
	}

	@Test
	void aValueCannotTakeTheTopicOfAnotherTemplate() {
		TopicTemplate room = template("room.{room}", "/rooms/{room}");
		TopicTemplate admin = template("room.{room}.admin", "/rooms/{room}/admin");
		assertThat(room.fill(Map.of("room", "x.admin"))).isNotEqualTo(admin.fill(Map.of("room", "x")));
		assertThat(room.canNameTheSameTopicAs(admin)).isFalse();
	}

	@Test
	void findsTemplatesWhoseLiteralsAValueCouldEqual() {
		TopicTemplate admin = template("room.admin.{x}", "/a/{x}");
		TopicTemplate rooms = template("room.{room}.{x}", "/r/{room}/{x}");
		assertThat(admin.canNameTheSameTopicAs(rooms)).isTrue();
		assertThat(rooms.canNameTheSameTopicAs(admin)).isTrue();
		assertThat(template("chat.{r}", "/c/{r}").canNameTheSameTopicAs(template("room.{r}", "/r/{r}"))).isFalse();
		assertThat(template("room.{room}", "/r/{room}").canNameTheSameTopicAs(template("room.{id}", "/c/{id}")))
			.as("one shape, one family of topics").isFalse();
		assertThat(template("a..{x}", "/a/{x}").canNameTheSameTopicAs(template("a.{y}.{x}", "/b/{y}/{x}")))
			.as("a value is never empty").isFalse();
	}

	@Test
	void refusesPlaceholdersThatAreNotBetweenSeparators() {
		assertThatIllegalStateException().isThrownBy(() -> template("room{room}", "/r/{room}"))
			.withMessageContaining("{room} next to other text");
		assertThatIllegalStateException().isThrownBy(() -> template("{a}{b}", "/r/{a}/{b}"))
			.withMessageContaining("{b} next to other text or another {name}");
		assertThatIllegalStateException().isThrownBy(() -> template("x.{a}b", "/r/{a}"))
			.withMessageContaining("{a} next to other text");
		assertThatIllegalStateException().isThrownBy(() -> template("x%.{a}", "/r/{a}"))
			.withMessageContaining("'%' is kept for placeholders and escaped values");
	}

}
