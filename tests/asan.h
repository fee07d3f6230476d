/* asan.h - whether a test runs under AddressSanitizer (test code only):
 * memory figures say nothing about logsift's own there. */
#ifndef SIFT_TEST_ASAN_H
#define SIFT_TEST_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#endif
