package dev.sseboot.web.servlet;

import java.util.OptionalLong;

import dev.sseboot.testsupport.TestApplications;
import org.apache.catalina.Container;
import org.apache.catalina.core.StandardContext;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

@SpringBootTest(classes = TestApplications.OnTomcat.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "sse.buffer.send-timeout=1s")
class TomcatStalledClientIntegrationTests extends AbstractStalledClientIntegrationTests {

	@Autowired
	WebServerApplicationContext context;

	@Override
	OptionalLong containerRequestsInProgress() {
		long inProgress = 0;
		TomcatWebServer tomcat = (TomcatWebServer) this.context.getWebServer();
		for (Container child : tomcat.getTomcat().getHost().findChildren()) {
			inProgress += ((StandardContext) child).getInProgressAsyncCount();
		}
		return OptionalLong.of(inProgress);
	}

}
