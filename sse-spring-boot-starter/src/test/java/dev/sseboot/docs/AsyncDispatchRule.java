package dev.sseboot.docs;

import jakarta.servlet.DispatcherType;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

class AsyncDispatchRule {

	void rules(HttpSecurity http) throws Exception {
		// tag::async-dispatch[]
		http.authorizeHttpRequests(r -> r.dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll() /* then yours */);
		// end::async-dispatch[]
	}

}
