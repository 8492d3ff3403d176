/* noentry.c — a shared object that is not a whybench policy (no wb_bandit_policy_entry), for
 * the plugin loader's error test. */
int wb_not_a_policy(void);
int wb_not_a_policy(void)
{
	return 1;
}
