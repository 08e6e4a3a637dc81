// Package e2e tests backcoach from the outside, as a person would. It
// builds the real binary once, starts `backcoach serve` on a free
// loopback port with a throw-away SQLite file and a fast guided-session
// clock, and drives Debian's Chromium through the Chrome DevTools
// Protocol: sign-up, the assessment wizard, the plan, a whole guided
// session and the diary, on a laptop screen and on a phone (with touch);
// the wizard by keyboard alone; an emergency answer. Every page is checked
// with axe-core for accessibility, weighed as it crosses the network, and
// watched for Content-Security-Policy violations.
//
// The package has only tests. Without Chromium they skip, unless
// BACKCOACH_REQUIRE names chromium, as CI sets it. Set
// BACKCOACH_SCREENSHOTS to a folder to keep screenshots of the main pages
// at phone and laptop size.
package e2e
