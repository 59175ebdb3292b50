// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* pytrace: strace for Python processes, with the Python traceback. */
#include "options.h"
#include "session.h"

int main(int argc, char **argv)
{
	static struct options o;

	options_parse(&o, argc, argv);
	return tracer_run(&o);
}
