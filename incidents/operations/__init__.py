"""Running the site: the load balancer's health check and login throttling."""
