/* log.h: one line per problem on the process's stderr, for the operator (journal, or the file it points to). */
#ifndef SEKKAN_LOG_H
#define SEKKAN_LOG_H

/* Who the current request is from; set by srv for each request, cleared after. */
void	log_set_request(const char *remote, const char *user);
void	log_set_program(const char *);
/* "sekkan/<program>[pid]: <remote> <user>: <message>"; control bytes are escaped. */
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
#endif
