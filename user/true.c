/*
 * true: does nothing, successfully (status 0).
 *
 * See: docs/userland.md
 */
int main(void)
{
    return 0;
}
