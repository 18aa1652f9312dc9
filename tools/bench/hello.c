/* hello.c: the benchmark's baseline, a minimal FastCGI program (libfcgi only, pre-forked like ours). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>

int
main(int argc, char **argv)
{
	static char	 body[8192], scratch[8192];
	FCGX_Request	 req;
	int		 sock, i, n, size;

	if (argc != 4) {
		fprintf(stderr, "usage: hello socket workers body-bytes\n");
		return 2;
	}
	n = atoi(argv[2]);
	size = atoi(argv[3]);
	if (size < 1 || size > (int)sizeof(body))
		size = 1024;
	memset(body, 'x', (size_t)size);
	/* Close the way lib/srv.c does (no wait for nginx), so the baseline is the same libfcgi. */
	setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0);
	FCGX_Init();
	if ((sock = FCGX_OpenSocket(argv[1], 128)) < 0)
		return 1;
	for (i = 0; i < n; i++)
		if (fork() == 0) {
			FCGX_InitRequest(&req, sock, 0);
			while (FCGX_Accept_r(&req) >= 0) {
				FCGX_FPrintF(req.out, "Content-Type: text/html\r\nContent-Length: %d\r\n\r\n", size);
				FCGX_PutStr(body, size, req.out);
				/* As lib/srv.c's srv_drain: nothing left unread when the socket closes. */
				while (FCGX_GetStr(scratch, (int)sizeof(scratch), req.in) > 0)
					;
				FCGX_Finish_r(&req);
			}
			_exit(0);
		}
	while (wait(NULL) > 0)
		;
	return 0;
}
