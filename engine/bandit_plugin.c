/* bandit_plugin.c — loading a policy from a shared object (dlopen). See bandit.h. */
#include "bandit_impl.h"

#include <dlfcn.h>
#include <string.h>

int wb_bandit_load_plugin(const char *path, const wb_bandit_policy **vt, void **handle, wb_err *err)
{
	*vt = NULL;
	*handle = NULL;
	/* dlopen searches the library path for a bare name; a plugin is a file, so make the
	 * name a path */
	char buf[4096];
	if (!strchr(path, '/'))
		snprintf(buf, sizeof buf, "./%s", path);
	else
		snprintf(buf, sizeof buf, "%s", path);
	dlerror();
	void *h = dlopen(buf, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		/* dlerror repeats the path first; keep only the reason */
		const char *colon = why ? strstr(why, ": ") : NULL;
		return wb_err_set(err, WB_EIO, "%s: cannot load: %s", path,
				  colon ? colon + 2
				  : why ? why
					: "unknown reason");
	}
	wb_bandit_policy_entry_fn entry;
	void *sym = dlsym(h, WB_BANDIT_POLICY_ENTRY);
	memcpy(&entry, &sym,
	       sizeof entry); /* object pointer to function pointer, as POSIX allows */
	if (!sym) {
		dlclose(h);
		return wb_err_set(err, WB_EINVAL, "%s: not a whybench policy (no %s)", path,
				  WB_BANDIT_POLICY_ENTRY);
	}
	const wb_bandit_policy *p = entry();
	if (!p || p->abi != WB_BANDIT_POLICY_ABI) {
		int abi = p ? p->abi : 0;
		dlclose(h);
		return wb_err_set(err, WB_EINVAL,
				  "%s: built for policy ABI %d, this whybench has %d", path, abi,
				  WB_BANDIT_POLICY_ABI);
	}
	if (!p->init || !p->choose || !p->update || !p->free || !p->name) {
		dlclose(h);
		return wb_err_set(err, WB_EINVAL,
				  "%s: policy table lacks init, choose, update, free or name",
				  path);
	}
	*vt = p;
	*handle = h;
	return 0;
}

void wb_bandit_plugin_close(void *handle)
{
	if (handle)
		dlclose(handle);
}
