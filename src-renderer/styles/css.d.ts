// Stylesheets imported for their side effect (Vite bundles them as files the CSP allows).
declare module '*.css';
