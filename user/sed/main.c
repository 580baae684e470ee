/*
 * sed: a stream editor, for the scripts people commonly write.
 *
 *   sed 's/old/new/g' file       sed -n '/re/p'       sed '2,5d'
 *   sed -i 's/a/b/' file...      sed -e 's/x/y/' -e '$d'
 *   sed -E 's/(a|b)+/X/'         sed '1!G' is not here (no hold space)
 *
 * The script is parsed once (parse.c) and run over the input a line at a
 * time (run.c). With -i each file is edited alone: the output goes to a
 * new file beside it, which then replaces it by rename(), so a failure
 * midway leaves the original whole.
 *
 * See: docs/userland.md
 */
#include "sed.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "usage.h"

#define USAGE     "usage: sed [-nEri] [-e script]... [-f file] [script] [file...]\n"
#define SED_USAGE 1

/* -i: runs the script over path into path's new copy, then renames. */
static int edit_in_place(struct script *s, char *path, bool quiet)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.sedtmp", path);
    FILE *out = fopen(tmp, "w");
    if (!out) {
        fprintf(stderr, "sed: couldn't open %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "sed: can't read %s: %s\n", path, strerror(errno));
        fclose(out);
        unlink(tmp);
        return 1;
    }
    int r = sed_run(s, &path, 1, out, quiet);
    if (fclose(out) != 0 || rename(tmp, path) != 0) {
        fprintf(stderr, "sed: %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return 1;
    }
    return r;
}

int main(int argc, char **argv)
{
    usage_help(argc, argv, USAGE);
    static struct script s;
    bool quiet = false, in_place = false, have_script = false;
    int o;
    while ((o = getopt(argc, argv, "nErie:f:s")) != -1) {
        if (o == 'n') {
            quiet = true;
        } else if (o == 'E' || o == 'r') {
            s.extended = true;
        } else if (o == 'i') {
            in_place = true;
        } else if (o == 'e') {
            sed_parse(&s, optarg);
            have_script = true;
        } else if (o == 'f') {
            char *text = io_slurp(optarg, NULL);
            if (!text) {
                fprintf(stderr, "sed: %s: %s\n", optarg, strerror(errno));
                return SED_USAGE;
            }
            sed_parse(&s, text);
            have_script = true;
        } else if (o != 's') {
            usage_fail(USAGE, SED_USAGE);
        }
    }
    if (!have_script) {
        if (optind == argc)
            usage_fail(USAGE, SED_USAGE);
        sed_parse(&s, argv[optind++]);
    }
    if (in_place && optind == argc) {
        fputs("sed: no input files\n", stderr);
        return SED_USAGE;
    }
    int status = 0;
    if (in_place) {
        for (int i = optind; i < argc && !(status & SED_QUIT); i++)
            status |= edit_in_place(&s, argv[i], quiet);
    } else {
        status = sed_run(&s, argv + optind, argc - optind, stdout, quiet);
    }
    return status & ~SED_QUIT ? 2 : 0;
}
