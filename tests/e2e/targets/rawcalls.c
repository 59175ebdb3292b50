/* Legacy and raw syscalls that Python and glibc no longer make themselves,
 * for the strace differential test.  argv[1] is a scratch directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096], link[4096], buf[64];
	struct stat st;
	long fd;

	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/raw\tfile\n", argv[1]);
	snprintf(link, sizeof(link), "%s/raw-link", argv[1]);
	fd = syscall(SYS_open, path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0640);
	syscall(SYS_write, fd, "\x00\x01\x7f\x80\xff \"quoted\" \\ end of a longer buffer", 45);
	syscall(SYS_close, fd);
	fd = syscall(SYS_creat, path, 0600);
	syscall(SYS_close, fd);
	syscall(SYS_stat, path, &st);
	syscall(SYS_stat, "/nonexistent/x", &st);
	syscall(SYS_symlink, path, link);
	syscall(SYS_lstat, link, &st);
	fd = syscall(SYS_open, "/etc/hostname", O_RDONLY | O_NOCTTY | O_NONBLOCK);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_read, fd, buf, sizeof(buf));
	syscall(SYS_pread64, fd, buf, 4, 1);
	syscall(SYS_lseek, fd, 0, SEEK_END);
	syscall(SYS_close, fd);
	syscall(SYS_access, path, R_OK | W_OK);
	syscall(SYS_readlink, link, buf, sizeof(buf));
	syscall(SYS_unlink, link);
	syscall(SYS_close, 12345);
	return 0;
}
