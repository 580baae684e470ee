/*
 * false: does nothing, unsuccessfully (status 1).
 *
 * See: docs/userland.md
 */
int main(void)
{
    return 1;
}
